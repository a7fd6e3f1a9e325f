import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/*
 * Where the server may connect to fetch a preview: public addresses only. A link in a post must
 * never make the server reach into its own network (a database, a cloud's metadata service, a
 * router's admin page): that is server-side request forgery.
 */

// Two lists: a list holding IPv6's IPv4-mapped range would refuse every IPv4 address checked against it.
const refused4 = new BlockList();
const refused6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", and the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, where clouds keep their metadata service
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relays
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  refused4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones too
  ['64:ff9b::', 96], // NAT64, which maps IPv4 addresses too
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo tunnels
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds an IPv4 address
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still private)
  ['ff00::', 8], // multicast
] as const) {
  refused6.addSubnet(net, prefix, 'ipv6');
}

/** An address the server may connect to: public unicast only. IPv4-mapped IPv6 is checked as IPv4. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !refused4.check(address, 'ipv4') : !refused6.check(address, 'ipv6');
}

/** 127.0.0.1 or [::1], written as an address (no name to look up). */
export function isLoopbackLiteral(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/u.test(host) || host === '[::1]';
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export class RefusedAddress extends Error {}

/**
 * The addresses to connect to for a host, each checked. A host with any refused address is
 * refused whole: a name that answers both a public and a private address is not to be trusted.
 */
export async function resolvePublic(host: string, allowPrivate: boolean): Promise<ResolvedAddress[]> {
  // URL keeps IPv6 literals in brackets.
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  const found: ResolvedAddress[] =
    literal !== 0
      ? [{ address: bare, family: literal === 4 ? 4 : 6 }]
      : (await lookup(bare, { all: true, verbatim: true })).map((a) => ({
          address: a.address,
          family: a.family === 6 ? 6 : 4,
        }));
  if (found.length === 0) throw new RefusedAddress(`${host} has no address`);
  if (!allowPrivate && found.some((a) => !isPublicAddress(a.address))) {
    throw new RefusedAddress(`${host} is not a public address`);
  }
  return found;
}
