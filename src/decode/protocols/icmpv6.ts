/**
 * ICMPv6 (RFC 4443, https://www.rfc-editor.org/rfc/rfc4443) and Neighbor Discovery (RFC 4861),
 * MLD (RFC 2710 / RFC 3810). Enough to name the message and its target for the Info column.
 */
import { ipv6Text } from '../addresses.ts';
import { hex, u16, type DetailNode, type Tree } from './ethernet.ts';

export interface Icmpv6 {
  at: number;
  type: number;
  code: number;
  checksum: number;
  /** Echo identifier and sequence number, else -1. */
  id: number;
  seq: number;
  /** Offset of the target address of a neighbor solicitation/advertisement or redirect, else -1. */
  targetAt: number;
  bodyAt: number;
}

export function decodeIcmpv6(b: Uint8Array, start: number, end: number): Icmpv6 | null {
  if (end - start < 4) return null;
  const type = b[start];
  const echo = (type === 128 || type === 129) && end - start >= 8;
  const hasTarget = (type === 135 || type === 136 || type === 137) && end - start >= 24;
  return {
    at: start,
    type,
    code: b[start + 1],
    checksum: u16(b, start + 2),
    id: echo ? u16(b, start + 4) : -1,
    seq: echo ? u16(b, start + 6) : -1,
    targetAt: hasTarget ? start + 8 : -1,
    bodyAt: start + 8,
  };
}

export const ICMPV6_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  138: 'Router Renumbering',
  139: 'ICMP Node Information Query',
  140: 'ICMP Node Information Response',
  141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation',
  147: 'Mobile Prefix Advertisement',
  151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation',
  153: 'Multicast Router Termination',
  155: 'RPL Control',
  160: 'Extended Echo Request',
  161: 'Extended Echo Reply',
};

const UNREACHABLE: Readonly<Record<number, string>> = {
  0: 'no route to destination',
  1: 'communication with destination administratively prohibited',
  2: 'beyond scope of source address',
  3: 'address unreachable',
  4: 'port unreachable',
  5: 'source address failed ingress/egress policy',
  6: 'reject route to destination',
  7: 'Error in Source Routing Header',
};

const CODE_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: UNREACHABLE,
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered' },
};

export function icmpv6CodeName(type: number, code: number): string {
  const names = CODE_NAMES[type];
  if (!names) return '';
  return names[code] ?? `Unknown (${code})`;
}

/** The type's name, its code in parentheses, and what Wireshark adds for echo and neighbor discovery. */
export function icmpv6Info(b: Uint8Array, m: Icmpv6, hopLimit: number): string {
  let text = ICMPV6_TYPE_NAMES[m.type] ?? `Unknown ICMPv6 type (${m.type})`;
  const code = icmpv6CodeName(m.type, m.code);
  if (code) text += ` (${code})`;
  if (m.id >= 0) {
    text += ` id=0x${m.id.toString(16).padStart(4, '0')}, seq=${m.seq}`;
    if (hopLimit >= 0) text += `, hop limit=${hopLimit}`;
  }
  if (m.targetAt >= 0) text += ` for ${ipv6Text(b.subarray(m.targetAt, m.targetAt + 16))}`;
  return text;
}

export function icmpv6Tree(b: Uint8Array, m: Icmpv6, end: number, t: Tree): DetailNode {
  const p = m.at;
  const code = icmpv6CodeName(m.type, m.code);
  const c = [
    t.node(`Type: ${ICMPV6_TYPE_NAMES[m.type] ?? 'Unknown'} (${m.type})`, p, 1),
    t.node(`Code: ${m.code}${code ? ` (${code})` : ''}`, p + 1, 1),
    t.node(`Checksum: ${hex(m.checksum, 4)}`, p + 2, 2),
  ];
  if (m.id >= 0) c.push(t.node(`Identifier: ${hex(m.id, 4)}`, p + 4, 2), t.node(`Sequence: ${m.seq}`, p + 6, 2));
  if (m.targetAt >= 0) c.push(t.node(`Target Address: ${ipv6Text(b.subarray(m.targetAt, m.targetAt + 16))}`, m.targetAt, 16));
  const bodyAt = m.targetAt >= 0 ? m.targetAt + 16 : m.bodyAt;
  if (end > bodyAt) c.push(t.node(`Data (${end - bodyAt} bytes)`, bodyAt, end - bodyAt));
  return t.node('Internet Control Message Protocol v6', p, end - p, c);
}
