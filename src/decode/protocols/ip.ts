/**
 * IPv4 (RFC 791, https://www.rfc-editor.org/rfc/rfc791; DSCP/ECN RFC 2474/3168) and IPv6
 * (RFC 8200, https://www.rfc-editor.org/rfc/rfc8200) headers, IPv6 extension headers included.
 */
import { ipv4Text, ipv6Text } from '../addresses.ts';
import { bitsLabel, hex, type DetailNode, type Tree, u16, u32 } from './ethernet.ts';

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

/** Wireshark's names for IP protocol numbers (its ipproto table), for the ones seen on LANs and in tests. */
export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  3: 'Gateway-to-Gateway',
  4: 'IPIP',
  5: 'Stream',
  6: 'TCP',
  8: 'EGP',
  9: 'IGRP',
  17: 'UDP',
  27: 'Reliable Datagram Protocol',
  29: 'ISO Transport Protocol Class 4',
  33: 'Datagram Congestion Control Protocol',
  40: 'IL',
  41: 'IPv6',
  43: 'IPv6 Routing',
  44: 'IPv6 Fragment',
  46: 'Reservation Protocol',
  47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload',
  51: 'Authentication Header',
  54: 'NBMA ARP',
  55: 'IP Mobility',
  58: 'ICMPv6',
  59: 'IPv6 No Next Header',
  60: 'IPv6 Destination Options',
  88: 'EIGRP',
  89: 'OSPF IGP',
  94: 'IP in IP',
  97: 'Ethernet in IP',
  98: 'ENCAP',
  103: 'PIM',
  108: 'IPComp',
  112: 'VRRP',
  113: 'PGM',
  115: 'Layer 2 Tunneling',
  124: 'ISIS over IPv4',
  132: 'SCTP',
  133: 'Fibre Channel',
  135: 'Mobile IPv6',
  136: 'UDPLite',
  137: 'MPLS in IP',
  139: 'Host Identity Protocol',
  140: 'Shim6 Protocol',
  143: 'Ethernet',
};

export const IPV4_OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Options List (EOL)',
  1: 'No Operation (NOP)',
  7: 'Record Route (RR)',
  68: 'Time Stamp (TS)',
  130: 'Security',
  131: 'Loose Source Route (LSR)',
  137: 'Strict Source Route (SSR)',
  136: 'Stream ID',
  148: 'Router Alert',
};

const DSCP: Readonly<Record<number, string>> = {
  0: 'CS0',
  1: 'LE',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VOICE-ADMIT',
  46: 'EF',
  48: 'CS6',
  56: 'CS7',
};
const ECN = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];
const setText = (on: number) => (on ? 'Set' : 'Not set');
const protocolText = (p: number) => `${IP_PROTOCOL_NAMES[p] ?? 'Unknown'} (${p})`;

export function ipv4Tree(b: Uint8Array, ip: Ipv4, t: Tree): DetailNode {
  const p = ip.at;
  const tos = b[p + 1];
  const flagsWord = u16(b, p + 6);
  const flagNames = [ip.flags & 4 ? 'Reserved bit' : '', ip.flags & 2 ? "Don't fragment" : '', ip.flags & 1 ? 'More fragments' : ''].filter(Boolean);
  const c = [
    t.node(`${bitsLabel(4 << 4, 0xf0, 8)}Version: 4`, p, 1),
    t.node(`${bitsLabel(b[p], 0x0f, 8)}Header Length: ${ip.headerBytes} bytes (${ip.headerBytes / 4})`, p, 1),
    t.node(`Differentiated Services Field: ${hex(tos, 2)} (DSCP: ${DSCP[ip.dscp] ?? 'Unknown'}, ECN: ${ECN[ip.ecn]})`, p + 1, 1, [
      t.node(`${bitsLabel(tos, 0xfc, 8)}Differentiated Services Codepoint: ${DSCP[ip.dscp] ?? 'Unknown'} (${ip.dscp})`, p + 1, 1),
      t.node(`${bitsLabel(tos, 0x03, 8)}Explicit Congestion Notification: ${ECN[ip.ecn]} (${ip.ecn})`, p + 1, 1),
    ]),
    t.node(`Total Length: ${ip.totalLength}`, p + 2, 2),
    t.node(`Identification: ${hex(ip.id, 4)} (${ip.id})`, p + 4, 2),
    t.node(`Flags: ${hex((flagsWord >> 8) & 0xe0, 2)}${flagNames.length ? `, ${flagNames.join(', ')}` : ''}`, p + 6, 1, [
      t.node(`${bitsLabel(b[p + 6], 0x80, 8)}Reserved bit: ${setText(ip.flags & 4)}`, p + 6, 1),
      t.node(`${bitsLabel(b[p + 6], 0x40, 8)}Don't fragment: ${setText(ip.flags & 2)}`, p + 6, 1),
      t.node(`${bitsLabel(b[p + 6], 0x20, 8)}More fragments: ${setText(ip.flags & 1)}`, p + 6, 1),
    ]),
    t.node(`${bitsLabel(flagsWord, 0x1fff, 16)}Fragment Offset: ${ip.fragmentOffset * 8}`, p + 6, 2),
    t.node(`Time to Live: ${ip.ttl}`, p + 8, 1),
    t.node(`Protocol: ${protocolText(ip.protocol)}`, p + 9, 1),
    t.node(`Header Checksum: ${hex(ip.checksum, 4)}`, p + 10, 2),
    t.node(`Source Address: ${ipv4Text(ip.src)}`, p + 12, 4),
    t.node(`Destination Address: ${ipv4Text(ip.dst)}`, p + 16, 4),
  ];
  if (ip.headerBytes > 20) {
    const options = ip.options.map((o) => t.node(`IP Option - ${IPV4_OPTION_NAMES[o.type] ?? `Unknown (${o.type})`}`, o.at, o.length));
    c.push(t.node(`Options: (${ip.headerBytes - 20} bytes)`, p + 20, ip.headerBytes - 20, options));
  }
  return t.node(`Internet Protocol Version 4, Src: ${ipv4Text(ip.src)}, Dst: ${ipv4Text(ip.dst)}`, p, ip.headerBytes, c);
}

const EXTENSION_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  51: 'Authentication Header',
  60: 'Destination Options for IPv6',
  135: 'Mobility Header',
  139: 'Host Identity Protocol',
  140: 'Shim6 Protocol',
};

export function ipv6Tree(b: Uint8Array, ip: Ipv6, t: Tree): DetailNode {
  const p = ip.at;
  const word = u32(b, p);
  const src = ipv6Text(b.subarray(ip.srcAt, ip.srcAt + 16));
  const dst = ipv6Text(b.subarray(ip.dstAt, ip.dstAt + 16));
  const c = [
    t.node(`${bitsLabel(6 << 4, 0xf0, 8)}Version: 6`, p, 1),
    t.node(
      `${bitsLabel(word, 0x0ff00000, 32)}Traffic Class: ${hex(ip.trafficClass, 2)} (DSCP: ${DSCP[ip.trafficClass >> 2] ?? 'Unknown'}, ECN: ${ECN[ip.trafficClass & 3]})`,
      p,
      2,
    ),
    t.node(`${bitsLabel(word, 0x000fffff, 32)}Flow Label: ${hex(ip.flowLabel, 5)}`, p + 1, 3),
    t.node(`Payload Length: ${ip.payloadLength}`, p + 4, 2),
    t.node(`Next Header: ${protocolText(ip.nextHeader)}`, p + 6, 1),
    t.node(`Hop Limit: ${ip.hopLimit}`, p + 7, 1),
    t.node(`Source Address: ${src}`, ip.srcAt, 16),
    t.node(`Destination Address: ${dst}`, ip.dstAt, 16),
  ];
  for (const x of ip.extensions) {
    const next = b[x.at];
    const fields = [t.node(`Next Header: ${protocolText(next)}`, x.at, 1)];
    if (x.type === 44) {
      fields.push(t.node(`${bitsLabel(u16(b, x.at + 2), 0xfff8, 16)}Offset: ${ip.fragmentOffset} (${ip.fragmentOffset * 8} bytes)`, x.at + 2, 2));
      fields.push(t.node(`${bitsLabel(b[x.at + 3], 0x01, 8)}More Fragments: ${ip.moreFragments ? 'Yes' : 'No'}`, x.at + 3, 1));
      fields.push(t.node(`Identification: ${hex(ip.fragmentId, 8)}`, x.at + 4, 4));
    } else {
      fields.push(t.node(`Length: ${b[x.at + 1]} (${x.length} bytes)`, x.at + 1, 1));
    }
    c.push(t.node(EXTENSION_NAMES[x.type] ?? `Extension header ${x.type}`, x.at, x.length, fields));
  }
  return t.node(`Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`, p, ip.payloadAt - p, c);
}
