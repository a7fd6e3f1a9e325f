import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { s3Storage } from '../../src/platform/storage/s3.js';

/**
 * An S3-compatible server (s3rver) on loopback, with one empty bucket, in a temporary folder, and
 * Mutual's S3 storage pointed at it as an operator would configure it (S3_FORCE_PATH_STYLE=true).
 */
export async function startS3(bucket = 'mutual-uploads') {
  const directory = await mkdtemp(join(tmpdir(), 'mutual-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const storage = s3Storage({
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
  return {
    storage,
    directory,
    async close() {
      storage.client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
