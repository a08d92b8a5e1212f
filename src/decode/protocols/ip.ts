/**
 * IPv4 (RFC 791, https://www.rfc-editor.org/rfc/rfc791; DSCP/ECN RFC 2474/3168) and IPv6
 * (RFC 8200, https://www.rfc-editor.org/rfc/rfc8200) headers, IPv6 extension headers included.
 */
import { u16, u32 } from './ethernet.ts';

export interface IpOption {
  type: number;
  at: number;
  /** Whole option length in bytes (1 for End-of-list and No-op). */
  length: number;
}

export interface Ipv4 {
  at: number;
  version: 4;
  headerBytes: number;
  dscp: number;
  ecn: number;
  totalLength: number;
  id: number;
  /** The three flag bits: 0x4 reserved, 0x2 Don't Fragment, 0x1 More Fragments. */
  flags: number;
  /** Fragment offset in 8-byte units. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: number;
  dst: number;
  options: IpOption[];
  payloadAt: number;
  /** End of the datagram by its total length, not clipped to the captured bytes. */
  payloadEnd: number;
}

export function decodeIpv4(b: Uint8Array, start: number, end: number): Ipv4 | null {
  if (end - start < 20 || b[start] >> 4 !== 4) return null;
  const headerBytes = (b[start] & 0x0f) * 4;
  if (headerBytes < 20) return null;
  const totalLength = u16(b, start + 2);
  const ip: Ipv4 = {
    at: start,
    version: 4,
    headerBytes,
    dscp: b[start + 1] >> 2,
    ecn: b[start + 1] & 3,
    totalLength,
    id: u16(b, start + 4),
    flags: b[start + 6] >> 5,
    fragmentOffset: u16(b, start + 6) & 0x1fff,
    ttl: b[start + 8],
    protocol: b[start + 9],
    checksum: u16(b, start + 10),
    src: u32(b, start + 12),
    dst: u32(b, start + 16),
    options: [],
    payloadAt: start + headerBytes,
    // TSO captures carry a total length of 0; the frame's end is the datagram's end then.
    payloadEnd: totalLength === 0 ? end : start + Math.max(totalLength, headerBytes),
  };
  ipv4Options(b, start + 20, Math.min(end, start + headerBytes), ip.options);
  return ip;
}

function ipv4Options(b: Uint8Array, p: number, end: number, out: IpOption[]): void {
  while (p < end) {
    const type = b[p];
    if (type === 0 || type === 1) {
      out.push({ type, at: p, length: 1 });
      p++;
      if (type === 0) return;
      continue;
    }
    if (p + 2 > end || b[p + 1] < 2) return;
    const length = Math.min(b[p + 1], end - p);
    out.push({ type, at: p, length });
    p += length;
  }
}

export function isFragment(ip: Ipv4): boolean {
  return (ip.flags & 1) !== 0 || ip.fragmentOffset !== 0;
}

export interface Ipv6Extension {
  type: number;
  at: number;
  length: number;
}

export interface Ipv6 {
  at: number;
  version: 6;
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  srcAt: number;
  dstAt: number;
  extensions: Ipv6Extension[];
  /** The upper-layer protocol after the extension headers (59: none). */
  protocol: number;
  /** Fragment header fields when present: offset in 8-byte units, More Fragments, identification. */
  fragmentOffset: number;
  moreFragments: boolean;
  fragmentId: number;
  payloadAt: number;
  payloadEnd: number;
}

const EXTENSIONS = new Set([0, 43, 44, 50, 51, 60, 135, 139, 140, 253, 254]);

export function decodeIpv6(b: Uint8Array, start: number, end: number): Ipv6 | null {
  if (end - start < 40 || b[start] >> 4 !== 6) return null;
  const word = u32(b, start);
  const payloadLength = u16(b, start + 4);
  const ip: Ipv6 = {
    at: start,
    version: 6,
    trafficClass: (word >>> 20) & 0xff,
    flowLabel: word & 0xfffff,
    payloadLength,
    nextHeader: b[start + 6],
    hopLimit: b[start + 7],
    srcAt: start + 8,
    dstAt: start + 24,
    extensions: [],
    protocol: b[start + 6],
    fragmentOffset: 0,
    moreFragments: false,
    fragmentId: 0,
    payloadAt: start + 40,
    // A jumbogram (RFC 2675) says 0; the frame's end stands in for its length.
    payloadEnd: payloadLength === 0 ? end : start + 40 + payloadLength,
  };
  walkExtensions(b, ip, end);
  return ip;
}

/** ESP (50) hides what follows, so it ends the walk like an upper-layer protocol does. */
function walkExtensions(b: Uint8Array, ip: Ipv6, end: number): void {
  let next = ip.nextHeader;
  let p = ip.payloadAt;
  while (EXTENSIONS.has(next) && next !== 50 && end - p >= 2) {
    const length = next === 44 ? 8 : next === 51 ? (b[p + 1] + 2) * 4 : (b[p + 1] + 1) * 8;
    if (next === 44 && end - p >= 8) {
      ip.fragmentOffset = u16(b, p + 2) >> 3;
      ip.moreFragments = (b[p + 3] & 1) !== 0;
      ip.fragmentId = u32(b, p + 4);
    }
    ip.extensions.push({ type: next, at: p, length });
    next = b[p];
    p += length;
  }
  ip.protocol = next;
  ip.payloadAt = p;
}

export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 8: 'EGP', 9: 'IGP', 17: 'UDP', 41: 'IPv6',
  43: 'IPv6 Routing', 44: 'IPv6 Fragment', 46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'IPv6 No Next Header',
  60: 'IPv6 Destination Options', 88: 'EIGRP', 89: 'OSPF IGP', 103: 'PIM', 112: 'VRRP', 115: 'L2TP', 132: 'SCTP', 135: 'Mobile IPv6',
};

export const IPV4_OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Options List (EOL)', 1: 'No Operation (NOP)', 7: 'Record Route (RR)', 68: 'Time Stamp (TS)',
  130: 'Security', 131: 'Loose Source Route (LSR)', 137: 'Strict Source Route (SSR)', 136: 'Stream ID', 148: 'Router Alert',
};
