import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { fetchableUrl } from './links.js';
import { pageText, type PageText } from './page-text.js';
import { isLoopbackLiteral, resolvePublic, type ResolvedAddress } from './addresses.js';

/*
 * Fetching a page for its preview, with strict limits: a link in a post is written by anyone, and
 * the server follows it. Public addresses only (checked after resolving the name, and the request
 * connects to exactly the checked address, so a second DNS answer cannot switch it to a private
 * one); a few redirects, each checked again; a time limit for the whole; a size limit; HTML only.
 */

export interface FetchLimits {
  /** Tests fetch from a server on loopback; production never may. */
  allowPrivateAddresses: boolean;
  /** Tests: only their own servers on loopback, by address, so a test never reaches the internet. */
  loopbackOnly?: boolean | undefined;
  /** For everything, redirects included. */
  timeoutMs: number;
  /** The most of a page read (after decompression); a larger one is not previewed. */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export const defaultLimits: Omit<FetchLimits, 'userAgent'> = {
  allowPrivateAddresses: false,
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
  maxRedirects: 3,
};

export type FetchResult = ({ status: 'ok' } & PageText) | { status: 'failed'; reason: string };

class NoPreview extends Error {}

/** Fetches a link's page and reads its title, description and site name; never throws. */
export async function fetchPreview(link: string, limits: FetchLimits): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new NoPreview('too slow')), limits.timeoutMs);
  try {
    let url = fetchableUrl(link);
    for (let redirects = 0; ; redirects++) {
      if (!url) throw new NoPreview('not a web address');
      const response = await requestPage(url, limits, controller.signal);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= limits.maxRedirects) throw new NoPreview('too many redirects');
        url = fetchableUrl(new URL(response.headers.location, url).href);
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw new NoPreview(`status ${status}`);
      }
      const type = response.headers['content-type'] ?? '';
      if (!/^text\/html\s*(;|$)/iu.test(type)) {
        response.resume();
        throw new NoPreview('not HTML');
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > limits.maxBytes) {
        response.destroy();
        throw new NoPreview('too large');
      }
      const body = await readCapped(decoded(response), limits.maxBytes);
      const text = pageText(decodeText(body, type));
      if (!text.title && !text.description) throw new NoPreview('nothing to show');
      return { status: 'ok', ...text };
    }
  } catch (error) {
    const reason = controller.signal.aborted ? 'too slow' : error instanceof Error ? error.message : String(error);
    return { status: 'failed', reason };
  } finally {
    clearTimeout(timer);
  }
}

/** One GET, connected to an address checked here and nowhere else. */
async function requestPage(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<http.IncomingMessage> {
  if (limits.loopbackOnly && !isLoopbackLiteral(url.hostname)) throw new NoPreview('not on loopback');
  const addresses = await resolvePublic(url.hostname, limits.allowPrivateAddresses);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      signal,
      agent: false,
      lookup: checkedLookup(addresses),
      headers: {
        'user-agent': limits.userAgent,
        accept: 'text/html',
        'accept-encoding': 'gzip, deflate, br',
      },
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.end();
  });
}

/** Answers the connection's name lookup with the addresses already checked, and nothing else. */
export function checkedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
}

function decoded(response: http.IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip());
  if (encoding === 'deflate') return response.pipe(createInflate());
  if (encoding === 'br') return response.pipe(createBrotliDecompress());
  if (encoding !== 'identity') {
    response.destroy();
    throw new NoPreview('unknown encoding');
  }
  return response;
}

/** Reads a body, giving up (and closing the connection) past the limit: counted after decompression. */
async function readCapped(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const piece = chunk as Buffer;
    total += piece.length;
    if (total > max) {
      stream.destroy();
      throw new NoPreview('too large');
    }
    chunks.push(piece);
  }
  return Buffer.concat(chunks);
}

/** The page's text in the charset its header names, else UTF-8. */
function decodeText(body: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w-]+)/iu.exec(contentType)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
