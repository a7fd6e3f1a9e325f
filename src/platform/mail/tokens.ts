import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short signed tokens for mail addresses and links ("reply+12-345-9f8e…@lists.example.org"): the
 * numbers they carry (a member, a thread) cannot be changed without the site's secret. They are
 * lower-case, as some mail servers lower-case the local part of an address.
 */
export type MailTokenPurpose =
  | 'reply'
  | 'unsubscribe'
  | 'newsletter'
  | 'bounce'
  | 'subscriber'
  | 'confirm'
  /** Turning notification emails off (src/features/notifications). */
  | 'notifications';

const MAC_LENGTH = 24;

function mac(secret: Buffer, purpose: MailTokenPurpose, numbers: readonly number[]): string {
  return createHmac('sha256', secret)
    .update(`${purpose}:${numbers.join('-')}`)
    .digest('hex')
    .slice(0, MAC_LENGTH);
}

export function signMailToken(secret: Buffer, purpose: MailTokenPurpose, numbers: readonly number[]): string {
  for (const n of numbers) if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a token number: ${n}`);
  return `${numbers.join('-')}-${mac(secret, purpose, numbers)}`;
}

/** The numbers a token carries, or null when it is malformed, forged, or has the wrong count. */
export function verifyMailToken(
  secret: Buffer,
  purpose: MailTokenPurpose,
  token: string,
  count: number,
): number[] | null {
  const parts = token.toLowerCase().split('-');
  if (parts.length !== count + 1) return null;
  const given = parts.pop()!;
  if (!parts.every((p) => /^\d{1,15}$/.test(p))) return null;
  const numbers = parts.map(Number);
  const expected = mac(secret, purpose, numbers);
  if (given.length !== expected.length) return null;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected)) ? numbers : null;
}

/** The key for mail tokens, derived from the session secret so that an operator sets one secret. */
export function mailSecret(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('mutual mail tokens').digest();
}
