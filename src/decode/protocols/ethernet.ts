/**
 * The link layer down to the network protocol: Ethernet II and 802.3 (IEEE 802.3-2022 clause 3),
 * 802.1Q / 802.1ad tags (IEEE 802.1Q-2022 clause 9), 802.2 LLC and SNAP (IEEE 802.2 / RFC 1042),
 * Linux cooked v1/v2 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html), BSD loopback and
 * raw IP (https://www.tcpdump.org/linktypes.html).
 *
 * The small big-endian readers every decoder in this folder uses live here, at the bottom of
 * the stack, so that no decoder builds a DataView per packet.
 */
import { macText } from '../addresses.ts';

export function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

export function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Colon-separated lower-case hex of six bytes at p, as tshark prints an FT_ETHER field. */
export function macAt(b: Uint8Array, p: number): string {
  return macText(u16(b, p), u32(b, p + 2));
}

export interface VlanTag {
  at: number;
  tpid: number;
  pcp: number;
  dei: number;
  vid: number;
}

export interface Llc {
  at: number;
  dsap: number;
  ssap: number;
  control: number;
  /** SNAP organisation code and protocol id, or -1 when the frame has no SNAP header. */
  oui: number;
  pid: number;
}

export type LinkKind = 'ethernet' | 'sll' | 'sll2' | 'loopback' | 'raw' | 'other';

export interface LinkLayer {
  kind: LinkKind;
  start: number;
  /** Offsets of the MAC addresses, or -1 (SLL has only a source address). */
  dstAt: number;
  srcAt: number;
  /** Offset of the EtherType / length / protocol / family field, or -1. */
  typeAt: number;
  tags: VlanTag[];
  llc: Llc | null;
  /** The network protocol as an EtherType; -1 when the frame carries none (802.3 without SNAP). */
  etherType: number;
  /** An 802.3 frame's length field, else -1. */
  length8023: number;
  payloadAt: number;
  /** End of the link payload: the 802.3 length, else the captured end. */
  payloadEnd: number;
}

const MAX_TAGS = 8;

/** Null when the frame is too short for its link header, or the link type is not one we read. */
export function decodeLink(b: Uint8Array, start: number, end: number, linkType: number): LinkLayer | null {
  switch (linkType) {
    case 1:
      return decodeEthernet(b, start, end);
    case 113:
      return decodeSll(b, start, end, 16, 14, 6, 'sll');
    case 276:
      return decodeSll(b, start, end, 20, 0, 12, 'sll2');
    case 0:
    case 108:
      return decodeLoopback(b, start, end, linkType === 108);
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return decodeRaw(b, start, end, linkType);
  }
  return null;
}

function emptyLink(kind: LinkKind, start: number, end: number): LinkLayer {
  return { kind, start, dstAt: -1, srcAt: -1, typeAt: -1, tags: [], llc: null, etherType: -1, length8023: -1, payloadAt: start, payloadEnd: end };
}

export function decodeEthernet(b: Uint8Array, start: number, end: number): LinkLayer | null {
  if (end - start < 14) return null;
  const link = emptyLink('ethernet', start, end);
  link.dstAt = start;
  link.srcAt = start + 6;
  link.typeAt = start + 12;
  typed(b, start + 14, end, u16(b, start + 12), link);
  return link;
}

/** Walks the tags after an EtherType field, then the 802.3 length / LLC if the type is a length. */
function typed(b: Uint8Array, p: number, end: number, type: number, link: LinkLayer): void {
  while ((type === 0x8100 || type === 0x88a8 || type === 0x9100) && link.tags.length < MAX_TAGS && end - p >= 4) {
    const tci = u16(b, p);
    link.tags.push({ at: p - 2, tpid: type, pcp: tci >> 13, dei: (tci >> 12) & 1, vid: tci & 0x0fff });
    type = u16(b, p + 2);
    link.typeAt = p + 2;
    p += 4;
  }
  link.payloadAt = p;
  if (type >= 0x0600) {
    link.etherType = type;
    return;
  }
  // An 802.3 length: the payload is the LLC PDU, and what follows it is padding.
  link.length8023 = type;
  link.payloadEnd = Math.min(end, p + type);
  llc(b, p, link.payloadEnd, link);
}

function llc(b: Uint8Array, p: number, end: number, link: LinkLayer): void {
  if (end - p < 3) return;
  const l: Llc = { at: p, dsap: b[p], ssap: b[p + 1], control: b[p + 2], oui: -1, pid: -1 };
  link.llc = l;
  link.payloadAt = p + 3;
  if (l.dsap !== 0xaa || l.ssap !== 0xaa || end - p < 8) return;
  l.oui = (b[p + 3] << 16) | (b[p + 4] << 8) | b[p + 5];
  l.pid = u16(b, p + 6);
  link.payloadAt = p + 8;
  if (l.oui === 0) link.etherType = l.pid;
}

function decodeSll(b: Uint8Array, start: number, end: number, headerBytes: number, protocolAt: number, addrAt: number, kind: LinkKind): LinkLayer | null {
  if (end - start < headerBytes) return null;
  const link = emptyLink(kind, start, end);
  const halen = kind === 'sll' ? u16(b, start + 4) : b[start + 11];
  if (halen === 6) link.srcAt = start + addrAt;
  link.typeAt = start + protocolAt;
  link.payloadAt = start + headerBytes;
  const protocol = u16(b, link.typeAt);
  // Below 0x0600 the field holds Linux's pseudo-protocols: 4 is 802.2 LLC, others carry no EtherType.
  if (protocol === 0x0004) llc(b, link.payloadAt, end, link);
  else if (protocol >= 0x0600) typed(b, link.payloadAt, end, protocol, link);
  return link;
}

function decodeLoopback(b: Uint8Array, start: number, end: number, networkOrder: boolean): LinkLayer | null {
  if (end - start < 4) return null;
  const link = emptyLink('loopback', start, end);
  link.typeAt = start;
  link.payloadAt = start + 4;
  const le = !networkOrder && b[start] !== 0;
  const family = le ? b[start] | (b[start + 1] << 8) : u16(b, start + 2);
  if (family === 2) link.etherType = 0x0800;
  else if (family === 24 || family === 28 || family === 30) link.etherType = 0x86dd;
  return link;
}

function decodeRaw(b: Uint8Array, start: number, end: number, linkType: number): LinkLayer | null {
  if (end - start < 1) return null;
  const link = emptyLink('raw', start, end);
  const version = linkType === 228 ? 4 : linkType === 229 ? 6 : b[start] >> 4;
  if (version === 4) link.etherType = 0x0800;
  else if (version === 6) link.etherType = 0x86dd;
  return link;
}

/** EtherType names as Wireshark's etype table spells them, for the ones a LAN capture shows. */
export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8035: 'RARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x8809: 'Slow Protocols',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x888e: '802.1X Authentication',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x9000: 'Loopback',
  0x88a2: 'ATA over Ethernet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x88e5: '802.1AE (MACsec)',
  0x8902: 'IEEE 802.1ag Connectivity Fault Management (CFM) Protocol',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x9100: 'VLAN-tagged frame (Q-in-Q)',
  0x0842: 'Wake on LAN',
  0x22f0: 'IEEE 1722 Audio Video Transport Protocol',
};

/** One line of the detail pane; byte offsets relative to the frame's first byte, end exclusive. */
export interface DetailNode {
  label: string;
  start: number;
  end: number;
  children?: DetailNode[];
}

/**
 * Makes detail nodes from absolute offsets in the buffer, clipped to the captured bytes, so a
 * header that claims more than was captured still highlights only bytes that exist.
 */
export class Tree {
  constructor(
    readonly frameStart: number,
    readonly frameEnd: number,
  ) {}

  node(label: string, at: number, length: number, children?: DetailNode[]): DetailNode {
    const start = Math.min(Math.max(at, this.frameStart), this.frameEnd) - this.frameStart;
    const end = Math.min(Math.max(at + length, at), this.frameEnd) - this.frameStart;
    const n: DetailNode = { label, start, end: Math.max(start, end) };
    if (children?.length) n.children = children;
    return n;
  }
}

/** Wireshark's bit-field prefix: ".... ..1. = " for the bits of `mask` in a field `widthBits` wide. */
export function bitsLabel(value: number, mask: number, widthBits: number): string {
  let text = '';
  for (let bit = widthBits - 1; bit >= 0; bit--) {
    text += (mask >>> bit) & 1 ? String((value >>> bit) & 1) : '.';
    if (bit % 4 === 0 && bit > 0) text += ' ';
  }
  return `${text} = `;
}

export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** Lower-case hex of n bytes, as tshark prints an FT_BYTES field. */
export function hexRun(b: Uint8Array, at: number, n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += b[at + i].toString(16).padStart(2, '0');
  return text;
}
