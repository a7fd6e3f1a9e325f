import http from 'node:http';
import https from 'node:https';
import webpush from 'web-push';
import { checkedLookup, isLoopbackLiteral, resolvePublic } from '../link-previews/index.js';
import type { VapidKeys } from './keys.js';

/** What one push is sent with: the site's keys, and where the server may connect. */
export interface SenderOptions {
  vapid: VapidKeys & { subject: string };
  /** PUSH_PRIVATE_NETWORK: endpoints on private or loopback addresses, over plain http, are reached too. */
  allowPrivateEndpoints: boolean;
  /** Tests: only their own endpoints on loopback, by address, so a test never reaches the internet. */
  loopbackOnly?: boolean | undefined;
  timeoutMs?: number | undefined;
}

export interface Device {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * How a push went: taken by the push service; gone (the browser unsubscribed, or the service
 * forgot it: the subscription is deleted); or failed (anything else: counted).
 */
export type Outcome = 'sent' | 'gone' | 'failed';

export interface PushMessage {
  /** JSON for the service worker; encrypted for the device (RFC 8291, aes128gcm). */
  payload: string;
  /** Seconds the push service keeps it for a device that is offline. */
  ttl: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** A newer push with the same topic replaces one the service still holds. */
  topic: string;
}

/**
 * Sends one push to one device. The endpoint was given by a browser, so the server treats it as
 * it treats a link in a post (link-previews): https only, its name resolved and every address
 * checked public, and the connection made to exactly those addresses. Never throws.
 */
export async function sendPush(device: Device, message: PushMessage, opts: SenderOptions): Promise<Outcome> {
  try {
    const details = webpush.generateRequestDetails(
      { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
      message.payload,
      {
        vapidDetails: opts.vapid,
        TTL: message.ttl,
        urgency: message.urgency,
        topic: message.topic,
        contentEncoding: 'aes128gcm',
      },
    );
    const status = await post(details, opts);
    if (status >= 200 && status < 300) return 'sent';
    // 404 and 410: the subscription has expired or was cancelled (RFC 8030, section 7.3).
    return status === 404 || status === 410 ? 'gone' : 'failed';
  } catch {
    return 'failed';
  }
}

async function post(details: webpush.RequestDetails, opts: SenderOptions): Promise<number> {
  const url = new URL(details.endpoint);
  const plain = url.protocol === 'http:';
  if (!plain && url.protocol !== 'https:') throw new Error('not a web address');
  if (plain && !opts.allowPrivateEndpoints) throw new Error('plain http');
  if (opts.loopbackOnly && !isLoopbackLiteral(url.hostname)) throw new Error('not on loopback');
  const addresses = await resolvePublic(url.hostname, opts.allowPrivateEndpoints);
  const client = plain ? http : https;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST',
      headers: details.headers as http.OutgoingHttpHeaders,
      agent: false,
      lookup: checkedLookup(addresses),
      signal,
    });
    request.on('response', (response) => {
      // Only the status matters; whatever the service says after it is not read.
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(details.body ?? undefined);
  });
}
