/**
 * ICMP for IPv4 (RFC 792, https://www.rfc-editor.org/rfc/rfc792; extended echo RFC 8335).
 * Type and code texts are Wireshark's, so the Info column reads as users know it.
 */
import { hex, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export interface Icmp {
  at: number;
  type: number;
  code: number;
  checksum: number;
  /** Identifier and sequence number of echo/timestamp/information/mask messages, else -1. */
  id: number;
  seq: number;
  /** The second header word (gateway of a redirect, pointer of a parameter problem, MTU...). */
  restOfHeader: number;
  /** Start of the body: echo data, or the IP header an error message quotes. */
  bodyAt: number;
}

const HAS_ID_SEQ = new Set([0, 8, 13, 14, 15, 16, 17, 18, 42, 43]);

export function decodeIcmp(b: Uint8Array, start: number, end: number): Icmp | null {
  if (end - start < 4) return null;
  const type = b[start];
  const full = end - start >= 8;
  const idSeq = full && HAS_ID_SEQ.has(type);
  return {
    at: start,
    type,
    code: b[start + 1],
    checksum: u16(b, start + 2),
    id: idSeq ? u16(b, start + 4) : -1,
    seq: idSeq ? u16(b, start + 6) : -1,
    restOfHeader: full ? u32(b, start + 4) : -1,
    bodyAt: start + 8,
  };
}

/** Error messages quote the offending datagram's IP header after the 8-byte ICMP header. */
export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

export const ICMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  30: 'Traceroute',
  40: 'Photuris',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

const UNREACHABLE: Readonly<Record<number, string>> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};

const CODE_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  3: UNREACHABLE,
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  42: { 0: 'No error' },
  43: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
};

/** The code's text for types that name their codes, '' for types that have none. */
export function icmpCodeName(type: number, code: number): string {
  const names = CODE_NAMES[type];
  if (!names) return '';
  return names[code] ?? `Unknown code: ${code}`;
}

/** Header fields; an error's quoted datagram is added by the caller (it is an IP header). */
export function icmpTree(icmp: Icmp, end: number, t: Tree, quoted: DetailNode | null): DetailNode {
  const p = icmp.at;
  const code = icmpCodeName(icmp.type, icmp.code);
  const c = [
    t.node(`Type: ${icmp.type} (${ICMP_TYPE_NAMES[icmp.type] ?? 'Unknown'})`, p, 1),
    t.node(`Code: ${icmp.code}${code ? ` (${code})` : ''}`, p + 1, 1),
    t.node(`Checksum: ${hex(icmp.checksum, 4)}`, p + 2, 2),
  ];
  if (icmp.id >= 0) {
    const le = (v: number) => ((v & 0xff) << 8) | (v >> 8);
    c.push(
      t.node(`Identifier (BE): ${icmp.id} (${hex(icmp.id, 4)})`, p + 4, 2),
      t.node(`Identifier (LE): ${le(icmp.id)} (${hex(le(icmp.id), 4)})`, p + 4, 2),
      t.node(`Sequence Number (BE): ${icmp.seq} (${hex(icmp.seq, 4)})`, p + 6, 2),
      t.node(`Sequence Number (LE): ${le(icmp.seq)} (${hex(le(icmp.seq), 4)})`, p + 6, 2),
    );
  }
  if (quoted) c.push(quoted);
  else if (end > icmp.bodyAt) c.push(t.node(`Data (${end - icmp.bodyAt} bytes)`, icmp.bodyAt, end - icmp.bodyAt));
  return t.node('Internet Control Message Protocol', p, end - p, c);
}
