/** Seeded random numbers for bench data, so the same seed makes the same community. */

let state = 42;

export function seedRandom(seed: number): void {
  state = seed >>> 0 || 42;
}

/** mulberry32: small, fast and good enough for synthetic data. */
export function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const int = (n: number) => Math.floor(rand() * n);
export const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
export const chance = (p: number) => rand() < p;

/** Cumulative-weight sampler (binary search): returns an index, with probability proportional to its weight. */
export function sampler(weights: ArrayLike<number>): () => number {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = sum += weights[i]!;
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Picks one of a list's items with the given weights: weighted([['en', 80], ['es', 9]]). */
export function weighted<T>(choices: readonly (readonly [T, number])[]): () => T {
  const next = sampler(choices.map(([, w]) => w));
  return () => choices[next()]![0];
}
