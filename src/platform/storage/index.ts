import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';

/**
 * Where uploaded files' bytes are kept: a folder in the data directory by default, or
 * S3-compatible object storage (src/platform/storage/s3.ts) so that several web processes share
 * them. Keys are made by the files feature ("ab/cd/<random>/large.webp"); nothing else is stored.
 */
export interface FileStorage {
  readonly kind: 'folder' | 's3';
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Deletes every key given; a key already gone is not an error. */
  delete(keys: string[]): Promise<void>;
}

/** Files in a folder (DATA_DIR/files): for one machine, the default. */
export function folderStorage(root: string): FileStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    // Keys are ours, but a path outside the folder must never be reachable whatever a key holds.
    if (!path.startsWith(base + sep)) throw new Error(`a storage key outside the folder: ${key}`);
    return path;
  };
  return {
    kind: 'folder',
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })));
    },
  };
}
