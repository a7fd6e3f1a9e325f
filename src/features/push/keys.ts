import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';

export interface VapidKeys {
  /** base64url, 65 bytes: what browsers subscribe with (GET /push/key). */
  publicKey: string;
  /** base64url, 32 bytes: signs the JWT each push carries. */
  privateKey: string;
}

const stored = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
  privateKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/**
 * The site's VAPID key pair, kept in DATA_DIR/vapid.json (readable by the owner only) so that
 * the devices people turned push on for keep working after a restart; made on first start. Several
 * processes starting at once on one disk agree on one pair: the file is written aside and linked
 * into place, which fails for all but the first. Processes on machines that share no disk must
 * be given the same pair (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY).
 */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, 'vapid.json');
  if (existsSync(file)) return readKeys(file);
  mkdirSync(dataDir, { recursive: true });
  const keys = webpush.generateVAPIDKeys();
  const aside = `${file}.${randomBytes(6).toString('hex')}`;
  writeFileSync(aside, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
  return readKeys(file);
}

function readKeys(file: string): VapidKeys {
  const parsed = stored.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} does not hold a VAPID key pair; move it away to have a new one made`);
  }
  return parsed.data;
}
