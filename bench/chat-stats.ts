/** Latencies of `npm run bench:chat`, counted in buckets so that client processes can merge them. */

/** Bucket i: 0.1 ms wide below 100 ms, 1 ms wide from 100 ms to 60 s; the last one holds anything later. */
const FINE = 1000;
const BUCKETS = FINE + 59_900 + 1;

export type SparseHistogram = [bucket: number, count: number][];

export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  total = 0;

  add(ms: number): void {
    const value = Math.max(0, ms);
    const bucket = value < 100 ? Math.floor(value * 10) : Math.min(BUCKETS - 1, FINE + Math.floor(value - 100));
    this.counts[bucket]! += 1;
    this.total += 1;
  }

  sparse(): SparseHistogram {
    const out: SparseHistogram = [];
    this.counts.forEach((count, bucket) => {
      if (count > 0) out.push([bucket, count]);
    });
    return out;
  }

  merge(sparse: SparseHistogram): void {
    for (const [bucket, count] of sparse) {
      this.counts[bucket]! += count;
      this.total += count;
    }
  }

  /** The latency (ms, the top of its bucket) below which this share of the samples fall. */
  percentile(share: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(share * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket += 1) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return bucket < FINE ? (bucket + 1) / 10 : bucket - FINE + 101;
    }
    return Infinity;
  }
}

/** The value below which this share of the (unsorted) samples fall. */
export function percentileOf(samples: number[], share: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

export const round = (ms: number, digits = 1): number => Math.round(ms * 10 ** digits) / 10 ** digits;
