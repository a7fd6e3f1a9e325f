import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { checkedLookup, isLoopbackLiteral, RefusedAddress, resolvePublic } from '../link-previews/index.js';

/** A new webhook's signing secret: 32 random bytes, shown to its maker once. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The signature a receiver checks: HMAC-SHA256 with the webhook's secret over the timestamp, a
 * dot and the body exactly as sent, in hex (docs/webhooks.md shows how to check it).
 */
export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The headers a delivery carries besides its content type. */
export function signedHeaders(secret: string, id: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'mutual-webhook-id': id,
    'mutual-webhook-timestamp': String(timestamp),
    'mutual-signature': `v1=${signature(secret, timestamp, body)}`,
  };
}

export interface SenderOptions {
  /** WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: http, and private or loopback hosts, are reached too. */
  allowPrivateAddresses: boolean;
  /**
   * Tests: only receivers on loopback (an address, or the name localhost, which the machine itself
   * answers), refused before any other name is looked up, so a test never reaches the internet.
   */
  loopbackOnly?: boolean | undefined;
  timeoutMs: number;
  userAgent: string;
}

/**
 * How one attempt went: taken (any 2xx); refused before connecting (not https, or an address the
 * server must not reach: not tried again); or failed (anything else, a redirect included: tried
 * again later). `error` is said in words for the webhook's page.
 */
export type Attempt =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'refused'; error: string }
  | { outcome: 'failed'; status: number | null; error: string };

/**
 * Posts one delivery. The address was typed by a person, so the server treats it as it treats a
 * link in a post (link-previews): https only, its name resolved and every address checked
 * public, the connection made to exactly those addresses (a second DNS answer cannot switch it to
 * a private one), redirects not followed, a time limit for the whole. Never throws.
 */
export async function postDelivery(
  address: string,
  body: string,
  headers: Record<string, string>,
  opts: SenderOptions,
): Promise<Attempt> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { outcome: 'refused', error: 'not a web address' };
  }
  const plain = url.protocol === 'http:';
  if (!plain && url.protocol !== 'https:') return { outcome: 'refused', error: 'not a web address' };
  if (plain && !opts.allowPrivateAddresses) return { outcome: 'refused', error: 'not https' };
  if (opts.loopbackOnly && !isLoopbackLiteral(url.hostname) && url.hostname !== 'localhost') {
    return { outcome: 'refused', error: 'not on loopback' };
  }
  let addresses;
  try {
    addresses = await resolvePublic(url.hostname, opts.allowPrivateAddresses);
  } catch (error) {
    if (error instanceof RefusedAddress) return { outcome: 'refused', error: 'a private or local address' };
    return { outcome: 'failed', status: null, error: 'its name could not be found' };
  }
  const client = plain ? http : https;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  return new Promise<Attempt>((resolve) => {
    const request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: checkedLookup(addresses),
      signal,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': opts.userAgent,
      },
    });
    request.on('response', (response) => {
      // Only the status is kept; whatever the receiver says after it is not read.
      response.resume();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve({ outcome: 'delivered', status });
      else if (status >= 300 && status < 400)
        resolve({ outcome: 'failed', status, error: 'a redirect (not followed)' });
      else resolve({ outcome: 'failed', status, error: `answered ${status}` });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ outcome: 'failed', status: null, error: describe(error, signal) });
    });
    request.end(body);
  });
}

function describe(error: NodeJS.ErrnoException, signal: AbortSignal): string {
  if (signal.aborted) return 'no answer in time';
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ECONNRESET') return 'connection closed';
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT')) return 'its certificate was not accepted';
  return 'could not connect';
}
