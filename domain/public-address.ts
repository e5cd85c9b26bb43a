import { isIP } from 'node:net';
import type { GatewayMode } from './config.js';

/**
 * Where the gateway may send a merchant notification (issue 22, finding 9). The worker POSTs to whatever
 * `dbProcessUrl` a merchant registered; without these rules that is a request forgery into the gateway's own
 * network (loopback services, the cloud's metadata endpoint, the sandbox's controls, anything private). Pure
 * decisions only: activities/notify-destination.ts applies them to the address actually connected.
 */

/** What an address is, by the IANA special-purpose registries; `public` is everything else. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

export interface AddressClass {
  readonly kind: AddressKind;
  /** The special-purpose range the address falls in; absent for a public one. */
  readonly range?: string;
}

interface Range {
  readonly base: bigint;
  readonly bits: number;
  readonly cidr: string;
  readonly kind: Exclude<AddressKind, 'public'>;
}

const V4_RANGES: readonly Range[] = ranges(32, [
  ['0.0.0.0/8', 'unspecified'], // "this network": Linux connects 0.0.0.0 to the local host
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'], // carrier-grade NAT
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // the cloud metadata endpoints live here
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'], // former 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

/** IPv6 outside these is judged by its own bits; the IPv4-carrying prefixes are handled apart (`classifyAddress`). */
const V6_RANGES: readonly Range[] = ranges(128, [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved'], // IPv4-compatible, deprecated
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64
  ['100::/64', 'reserved'], // discard-only
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo included
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', 'reserved'], // 6to4: tunnels to an IPv4 address of its choosing
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'reserved'], // SRv6 SIDs
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

/** Global unicast: every public IPv6 address is in here (anything else is unallocated or special). */
const V6_GLOBAL_UNICAST = ranges(128, [['2000::/3', 'reserved']])[0];
const V4_MAPPED = ranges(128, [['::ffff:0:0/96', 'reserved']])[0];
const NAT64 = ranges(128, [['64:ff9b::/96', 'reserved']])[0];

/** An IP address's class; `undefined` for anything that is not an IP address (a host name). */
export function classifyAddress(address: string): AddressClass | undefined {
  const ip = stripBrackets(address);
  const version = isIP(ip);
  if (version === 4) return lookupRange(V4_RANGES, ipv4ToBigInt(ip), 32);
  if (version !== 6) return undefined;
  const value = ipv6ToBigInt(ip);
  // The IPv4 inside is what is reached: ::ffff:10.0.0.5 is 10.0.0.5 to the kernel, and NAT64 forwards to its IPv4.
  for (const [prefix, label] of [[V4_MAPPED, 'IPv4-mapped'], [NAT64, 'NAT64']] as const) {
    if (prefix && inRange(value, prefix, 128)) {
      const inner = lookupRange(V4_RANGES, value & 0xffff_ffffn, 32);
      return inner.range ? { kind: inner.kind, range: `${inner.range} (${label})` } : inner;
    }
  }
  const special = lookupRange(V6_RANGES, value, 128);
  if (special.kind !== 'public') return special;
  if (V6_GLOBAL_UNICAST && !inRange(value, V6_GLOBAL_UNICAST, 128)) return { kind: 'reserved', range: 'outside 2000::/3' };
  return special;
}

export interface DestinationPolicy {
  readonly mode: GatewayMode;
  /** The merchant's allow-list (MERCHANTS_JSON `notifyHosts`): only these host names, when set. */
  readonly notifyHosts?: readonly string[] | undefined;
}

/**
 * Sandbox mode notifies the machine and the network it runs on as well: the tests, the demo shop and `npm start` run
 * on 127.0.0.1, and the compose sandbox profile's shop is another container on a private network. Link-local (the
 * metadata endpoints) and the rest stay refused there too: no test or demo needs them.
 */
const SANDBOX_ALSO_ALLOWS: ReadonlySet<AddressKind> = new Set(['loopback', 'private', 'unique-local']);

/** Why the gateway must not connect to `address` to notify a merchant; `undefined` when it may. */
export function addressRefusal(address: string, mode: GatewayMode): string | undefined {
  const c = classifyAddress(address);
  if (!c) return `notification address ${address} is not an IP address`;
  if (c.kind === 'public' || (mode === 'sandbox' && SANDBOX_ALSO_ALLOWS.has(c.kind))) return undefined;
  return `notification address ${stripBrackets(address)} is not public (${c.kind}, ${c.range ?? 'special'})`;
}

/**
 * Why a notification URL is refused from what it says alone: its scheme, the merchant's allow-list, a literal
 * address, `localhost`. Checked at registration (a clear 9001 at once) and again before each attempt; the address a
 * name resolves to is checked when connecting (activities/notify-destination.ts), the only check DNS cannot evade.
 */
export function urlRefusal(url: string, policy: DestinationPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'notification URL is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `notification URL scheme ${parsed.protocol} is not http(s)`;
  const host = normalizeHostname(parsed.hostname);
  if (policy.notifyHosts && !policy.notifyHosts.some((h) => normalizeHostname(h) === host)) return `notification host ${host} is not in the merchant's notifyHosts`;
  if (classifyAddress(host)) return addressRefusal(host, policy.mode);
  if (policy.mode === 'production' && (host === 'localhost' || host.endsWith('.localhost'))) return `notification host ${host} is not public (loopback)`;
  return undefined;
}

/** Host names compare case-insensitively, without a trailing root dot, IPv6 literals without brackets. */
export function normalizeHostname(host: string): string {
  return stripBrackets(host.trim().toLowerCase()).replace(/\.$/, '');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function lookupRange(table: readonly Range[], value: bigint, width: number): AddressClass {
  const hit = table.find((r) => inRange(value, r, width));
  return hit ? { kind: hit.kind, range: hit.cidr } : { kind: 'public' };
}

function inRange(value: bigint, range: Range, width: number): boolean {
  const shift = BigInt(width - range.bits);
  return value >> shift === range.base >> shift;
}

/** Most specific first, so 255.255.255.255 is broadcast before it is 240/4. */
function ranges(width: 32 | 128, table: readonly (readonly [string, Exclude<AddressKind, 'public'>])[]): Range[] {
  return table
    .map(([cidr, kind]) => {
      const [base = '', bits = ''] = cidr.split('/');
      return { base: width === 32 ? ipv4ToBigInt(base) : ipv6ToBigInt(base), bits: Number(bits), cidr, kind };
    })
    .sort((a, b) => b.bits - a.bits);
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** A valid IPv6 text (net.isIP said so) as its 128 bits: `::` expanded, a dotted IPv4 tail and a zone id allowed. */
function ipv6ToBigInt(ip: string): bigint {
  let text = ip.split('%')[0] ?? '';
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
