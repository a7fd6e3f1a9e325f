import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canHideAddress,
  iceServersFor,
  isRelayCandidate,
  relayOnly,
  relayOnlyCandidate,
  turnCredentials,
  type TurnSettings,
} from './turn.js';

/*
 * TURN credentials and the filter that keeps the address of a person who hides it out of what
 * others receive. test/browser/turn.test.ts proves the credentials against a real coturn.
 */

const turn: TurnSettings = {
  urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'],
  secret: 'a shared secret of the site and its coturn',
  ttlSeconds: 600,
};

describe('turnCredentials', () => {
  it('makes the username the expiry and a random id, and the credential its HMAC-SHA1 under the secret', () => {
    const now = new Date('2030-01-02T03:04:05.678Z');
    const { username, credential, expiresAt } = turnCredentials(turn.secret, 600, now);
    const expiry = Math.floor(now.getTime() / 1000) + 600;
    expect(username).toMatch(new RegExp(`^${expiry}:[A-Za-z0-9_-]{16}$`));
    expect(credential).toBe(createHmac('sha1', turn.secret).update(username).digest('base64'));
    expect(expiresAt.getTime()).toBe(expiry * 1000);
  });

  it('gives a new id each time, so two people (or two joins) never share a username', () => {
    const now = new Date();
    const first = turnCredentials(turn.secret, 600, now);
    const second = turnCredentials(turn.secret, 600, now);
    expect(first.username).not.toBe(second.username);
    expect(first.credential).not.toBe(second.credential);
  });

  it('depends on the secret', () => {
    const now = new Date();
    const mine = turnCredentials(turn.secret, 600, now);
    expect(createHmac('sha1', 'another secret').update(mine.username).digest('base64')).not.toBe(mine.credential);
  });
});

describe('iceServersFor', () => {
  it('gives TURN with fresh credentials and lets the browser use every route when the person does not hide', () => {
    const plan = iceServersFor({ turn, hideAddress: false });
    expect(plan.iceTransportPolicy).toBe('all');
    expect(plan.relayUnavailable).toBe(false);
    expect(plan.iceServers).toHaveLength(1);
    expect(plan.iceServers[0]!.urls).toEqual(turn.urls);
    expect(plan.iceServers[0]!.username).toMatch(/^\d+:/);
    expect(plan.iceServers[0]!.credential).toBeTruthy();
  });

  it('sends everything through the relay for a person who hides their address', () => {
    const plan = iceServersFor({ turn, hideAddress: true });
    expect(plan.iceTransportPolicy).toBe('relay');
    expect(plan.relayUnavailable).toBe(false);
    expect(plan.iceServers[0]!.urls).toEqual(turn.urls);
  });

  it('says when hiding is impossible, and then fails closed: relay only, with no relay to use', () => {
    const plan = iceServersFor({ turn: undefined, hideAddress: true });
    expect(plan).toEqual({ iceServers: [], iceTransportPolicy: 'relay', relayUnavailable: true });
    expect(canHideAddress(undefined)).toBe(false);
    expect(canHideAddress(turn)).toBe(true);
  });

  it('without TURN, a person who does not hide connects directly', () => {
    expect(iceServersFor({ turn: undefined, hideAddress: false })).toEqual({
      iceServers: [],
      iceTransportPolicy: 'all',
      relayUnavailable: false,
    });
  });
});

const host = 'candidate:842163049 1 udp 2122260223 192.168.1.23 54400 typ host generation 0 ufrag EsAw network-id 1';
const mdns =
  'candidate:1467250027 1 udp 2122260223 7c7a0c4e-3f0e-4f3a-9d9b-7b1d2e0c9a11.local 54401 typ host generation 0';
const hostV6 = 'candidate:2999745851 1 udp 2122129151 2001:db8:85a3::8a2e:370:7334 54402 typ host generation 0';
const hostTcp = 'candidate:1019216383 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0';
const srflx =
  'candidate:1853887674 1 udp 1686052607 203.0.113.7 61234 typ srflx raddr 192.168.1.23 rport 54400 generation 0';
const prflx =
  'candidate:3005521523 1 udp 1853824767 203.0.113.7 61240 typ prflx raddr 192.168.1.23 rport 54400 generation 0';
const relay =
  'candidate:2157334355 1 udp 33562367 198.51.100.9 50212 typ relay raddr 203.0.113.7 rport 61234 generation 0 ufrag EsAw';
const relayV6 = 'candidate:2157334356 1 udp 33562111 2001:db8::9 50213 typ relay raddr :: rport 0 generation 0';

describe('isRelayCandidate', () => {
  it('is true only for relay candidates, bare or as SDP lines', () => {
    expect(isRelayCandidate(relay)).toBe(true);
    expect(isRelayCandidate(`a=${relay}`)).toBe(true);
    expect(isRelayCandidate(relayV6)).toBe(true);
    for (const candidate of [host, mdns, hostV6, hostTcp, srflx, prflx]) {
      expect(isRelayCandidate(candidate)).toBe(false);
      expect(isRelayCandidate(`a=${candidate}`)).toBe(false);
    }
  });

  it('is false for anything that does not parse as one candidate', () => {
    expect(isRelayCandidate('')).toBe(false);
    expect(isRelayCandidate('typ relay')).toBe(false);
    expect(isRelayCandidate('candidate:1 1 udp 1 198.51.100.9 50212 relay')).toBe(false);
    // "typ relay" in an extension, not in the type's place.
    expect(isRelayCandidate('candidate:1 1 udp 1 192.168.1.23 5000 typ host name typ relay x')).toBe(false);
    // A relay candidate with a host candidate smuggled in on a second line.
    expect(isRelayCandidate(`${relay}\r\na=${host}`)).toBe(false);
    expect(isRelayCandidate(`${relay}\na=${host}`)).toBe(false);
  });
});

describe('relayOnlyCandidate', () => {
  it("passes relay candidates with the person's own address, as the TURN server saw it, blanked", () => {
    expect(relayOnlyCandidate(relay)).toBe(
      'candidate:2157334355 1 udp 33562367 198.51.100.9 50212 typ relay raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw',
    );
    expect(relayOnlyCandidate(`a=${relay}`)).toBe(`a=${relayOnlyCandidate(relay)!}`);
    expect(relayOnlyCandidate(relay)).not.toContain('203.0.113.7');
  });

  it('drops every other candidate and passes the end of candidates', () => {
    for (const candidate of [host, mdns, hostV6, hostTcp, srflx, prflx, 'nonsense']) {
      expect(relayOnlyCandidate(candidate)).toBeUndefined();
    }
    expect(relayOnlyCandidate('')).toBe('');
  });
});

/** An offer as Chromium writes it after gathering, audio and a data channel, with every kind of candidate. */
const offer = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 192.168.1.23',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=msid-semantic: WMS',
  'm=audio 61234 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 203.0.113.7',
  'a=rtcp:9 IN IP4 0.0.0.0',
  `a=${host}`,
  `a=${mdns}`,
  `a=${hostV6}`,
  `a=${hostTcp}`,
  `a=${srflx}`,
  `a=${relay}`,
  `a=${relayV6}`,
  'a=end-of-candidates',
  'a=ice-ufrag:EsAw',
  'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1',
  'a=fingerprint:sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:A3:F1:2E:C4:1A:A9:49:1C:AB:6F',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'm=application 54402 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP6 2001:db8:85a3::8a2e:370:7334',
  'a=rtcp:54402 IN IP6 2001:db8:85a3::8a2e:370:7334',
  `a=${hostV6}`,
  'a=mid:1',
  'a=sctp-port:5000',
  '',
].join('\r\n');

describe('relayOnly', () => {
  const filtered = relayOnly(offer);

  it('keeps only the relay candidates, with their related addresses blanked', () => {
    const candidates = filtered.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(candidates).toEqual([`a=${relayOnlyCandidate(relay)!}`, `a=${relayOnlyCandidate(relayV6)!}`]);
  });

  it('leaves no host, mDNS or server-reflexive address of the person anywhere', () => {
    for (const address of ['192.168.1.23', '203.0.113.7', '2001:db8:85a3::8a2e:370:7334', '.local']) {
      expect(filtered).not.toContain(address);
    }
  });

  it('sets connection addresses that are not a relay to 0.0.0.0, and keeps a relay one', () => {
    const lines = filtered.split('\r\n');
    expect(lines).toContain('o=- 4611731400430051336 2 IN IP4 0.0.0.0');
    expect(lines.filter((l) => l.startsWith('c='))).toEqual(['c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0']);
    expect(lines.filter((l) => l.startsWith('a=rtcp:'))).toEqual([
      'a=rtcp:9 IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
    ]);
    const relayed = offer.replace('c=IN IP4 203.0.113.7', 'c=IN IP4 198.51.100.9');
    expect(relayOnly(relayed)).toContain('c=IN IP4 198.51.100.9\r\n');
  });

  it('leaves everything else as it was, line for line, ending in CRLF', () => {
    const untouched = (sdp: string) => sdp.split('\r\n').filter((l) => !/^(a=candidate:|c=|a=rtcp:|o=)/.test(l));
    expect(untouched(filtered)).toEqual(untouched(offer));
    expect(filtered).toContain('a=end-of-candidates\r\n');
    expect(filtered.endsWith('a=sctp-port:5000\r\n')).toBe(true);
  });

  it('changes nothing in a description that holds only relay candidates and unspecified addresses', () => {
    const relayed = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'm=application 50212 UDP/DTLS/SCTP webrtc-datachannel',
      'c=IN IP4 198.51.100.9',
      `a=${relayOnlyCandidate(relay)!}`,
      'a=mid:0',
      '',
    ].join('\r\n');
    expect(relayOnly(relayed)).toBe(relayed);
  });

  it('reads descriptions with bare LF line ends too', () => {
    const lf = relayOnly(offer.replaceAll('\r\n', '\n'));
    expect(lf).not.toContain('192.168.1.23');
    expect(lf).toContain(relayOnlyCandidate(relay)!);
  });
});
