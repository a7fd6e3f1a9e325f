import { createHmac, randomBytes } from 'node:crypto';

/**
 * TURN (coturn) for voice and video circles: short-lived credentials in coturn's shared-secret REST
 * scheme (`use-auth-secret`), the ICE servers a person's browser is given, and the filter that keeps
 * the network address of a person who hides it out of everything sent to the others.
 */

/** The operator's TURN server: TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS. */
export interface TurnSettings {
  /** turn: and turns: URLs, e.g. turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349. */
  urls: string[];
  /** coturn's static-auth-secret. */
  secret: string;
  /** How long credentials stay valid, in seconds. */
  ttlSeconds: number;
}

export interface TurnCredentials {
  username: string;
  credential: string;
  expiresAt: Date;
}

/**
 * Credentials coturn accepts until `now + ttlSeconds`: the username is the expiry in Unix seconds
 * and a random id (never anything that names the person, as coturn logs usernames), the credential
 * base64(HMAC-SHA1(secret, username)).
 */
export function turnCredentials(secret: string, ttlSeconds: number, now: Date = new Date()): TurnCredentials {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${expiry}:${randomBytes(12).toString('base64url')}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: new Date(expiry * 1000) };
}

/** An RTCIceServer, as the browser's RTCPeerConnection takes it. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface IcePlan {
  iceServers: IceServer[];
  iceTransportPolicy: 'relay' | 'all';
  /**
   * The person asked to hide their address but the site has no TURN server: there is no way to
   * connect without showing it. The caller must refuse to join them hidden (never join them
   * unhidden behind their back); the plan itself fails closed (relay only, no servers: no
   * candidates at all).
   */
  relayUnavailable: boolean;
}

/**
 * What a person's browser is given to connect: TURN with fresh credentials when the site has it,
 * and relay-only when they hide their address, so the browser gathers no host or server-reflexive
 * candidates and every packet goes through the relay.
 */
export function iceServersFor(options: { turn: TurnSettings | undefined; hideAddress: boolean; now?: Date }): IcePlan {
  const { turn, hideAddress } = options;
  const iceTransportPolicy = hideAddress ? 'relay' : 'all';
  if (!turn) return { iceServers: [], iceTransportPolicy, relayUnavailable: hideAddress };
  const { username, credential } = turnCredentials(turn.secret, turn.ttlSeconds, options.now);
  return { iceServers: [{ urls: [...turn.urls], username, credential }], iceTransportPolicy, relayUnavailable: false };
}

/** Whether a person can hide their network address on this site: only through a TURN relay. */
export function canHideAddress(turn: TurnSettings | undefined): boolean {
  return turn !== undefined;
}

// candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr <a> rport <p>] *(<name> <value>)
const candidatePrefix = /^(?:a=)?candidate:/i;

/** The fields of a candidate line, or undefined when it is not one (or holds more than one line). */
function parseCandidate(line: string): string[] | undefined {
  // One line of printable text only: a candidate must not smuggle in more SDP lines.
  if (!candidatePrefix.test(line) || /\p{Cc}/u.test(line)) return undefined;
  const fields = line.replace(/^a=/i, '').split(' ');
  if (fields.length < 8 || fields.some((f) => f === '')) return undefined;
  if (fields[6]?.toLowerCase() !== 'typ') return undefined;
  return fields;
}

/**
 * Whether an ICE candidate (an SDP `a=candidate:` line, or the bare `candidate:` string of a
 * trickled RTCIceCandidate) is a TURN relay candidate. Host (including mDNS .local names),
 * server-reflexive and peer-reflexive candidates, and anything that does not parse, are not.
 */
export function isRelayCandidate(candidate: string): boolean {
  return parseCandidate(candidate)?.[7]?.toLowerCase() === 'relay';
}

/**
 * The candidate as it may be passed on from a person hiding their address: a relay candidate
 * with its related address (the person's own address as the TURN server saw it) blanked, or
 * undefined for any other candidate. The empty candidate (end of candidates) passes unchanged.
 */
export function relayOnlyCandidate(candidate: string): string | undefined {
  if (candidate === '') return candidate;
  const fields = parseCandidate(candidate);
  if (fields?.[7]?.toLowerCase() !== 'relay') return undefined;
  for (let i = 8; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'raddr') fields[i + 1] = '0.0.0.0';
    else if (fields[i] === 'rport') fields[i + 1] = '0';
  }
  return `${candidate.startsWith('a=') ? 'a=' : ''}${fields.join(' ')}`;
}

const unspecified = new Set(['0.0.0.0', '::', '127.0.0.1', '::1']);

/**
 * A session description as it may be passed on from a person hiding their address: only relay
 * candidates (their related addresses blanked), and the connection addresses (`c=`, `a=rtcp:`,
 * `o=`) kept only when they are a relay's address, else set to 0.0.0.0 as a browser writes
 * before it has gathered any candidate. Everything else is left as it was.
 */
export function relayOnly(sdp: string): string {
  const lines = sdp.split(/\r?\n/);
  const relayAddresses = new Set<string>();
  for (const line of lines) {
    if (isRelayCandidate(line)) relayAddresses.add(parseCandidate(line)![4]!.toLowerCase());
  }
  const keep = (address: string) => relayAddresses.has(address.toLowerCase());
  const out: string[] = [];
  for (const line of lines) {
    if (candidatePrefix.test(line)) {
      const kept = relayOnlyCandidate(line);
      if (kept !== undefined && kept !== '') out.push(kept);
      continue;
    }
    const connection = /^c=IN IP[46] (\S+)$/i.exec(line);
    if (connection) {
      out.push(keep(connection[1]!) ? line : 'c=IN IP4 0.0.0.0');
      continue;
    }
    const rtcp = /^a=rtcp:\d+ IN IP[46] (\S+)$/i.exec(line);
    if (rtcp) {
      out.push(keep(rtcp[1]!) ? line : 'a=rtcp:9 IN IP4 0.0.0.0');
      continue;
    }
    const origin = /^(o=\S+ \S+ \S+ IN) (IP[46]) (\S+)$/i.exec(line);
    if (origin && !unspecified.has(origin[3]!) && !keep(origin[3]!)) {
      out.push(`${origin[1]!} IP4 0.0.0.0`);
      continue;
    }
    out.push(line);
  }
  return out.join('\r\n');
}
