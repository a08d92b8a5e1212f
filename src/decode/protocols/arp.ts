/**
 * ARP and RARP: RFC 826 (https://www.rfc-editor.org/rfc/rfc826), RFC 903 (RARP), RFC 2390
 * (Inverse ARP), RFC 5227 (probes and announcements). Opcode numbers from IANA's
 * arp-parameters registry.
 */
import { ipv4Text } from '../addresses.ts';
import { hex, macAt, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export const enum ArpOp {
  Request = 1,
  Reply = 2,
  RarpRequest = 3,
  RarpReply = 4,
  DrarpRequest = 5,
  DrarpReply = 6,
  DrarpError = 7,
  InarpRequest = 8,
  InarpReply = 9,
}

export type ArpKind = 'request' | 'reply' | 'gratuitous' | 'probe' | 'announcement' | 'other';

export interface Arp {
  at: number;
  hwType: number;
  protoType: number;
  hwSize: number;
  protoSize: number;
  opcode: number;
  /** Offsets of the four addresses (sender hw, sender proto, target hw, target proto). */
  shaAt: number;
  spaAt: number;
  thaAt: number;
  tpaAt: number;
  /** 8 + 2 * (hwSize + protoSize): the bytes the header says it has. */
  totalBytes: number;
  /** False when the frame ends before the last address. */
  complete: boolean;
  /** IPv4 sender/target when the protocol is IPv4 with 4-byte addresses and the frame holds them; else -1. */
  senderIp: number;
  targetIp: number;
  kind: ArpKind;
}

/** Null only when the frame cannot hold the 8-byte fixed header. */
export function decodeArp(b: Uint8Array, start: number, end: number): Arp | null {
  if (end - start < 8) return null;
  const hwSize = b[start + 4];
  const protoSize = b[start + 5];
  const shaAt = start + 8;
  const spaAt = shaAt + hwSize;
  const thaAt = spaAt + protoSize;
  const tpaAt = thaAt + hwSize;
  const arp: Arp = {
    at: start,
    hwType: u16(b, start),
    protoType: u16(b, start + 2),
    hwSize,
    protoSize,
    opcode: u16(b, start + 6),
    shaAt,
    spaAt,
    thaAt,
    tpaAt,
    totalBytes: 8 + 2 * (hwSize + protoSize),
    complete: tpaAt + protoSize <= end,
    senderIp: -1,
    targetIp: -1,
    kind: 'other',
  };
  if (isIpv4(arp) && arp.complete) {
    arp.senderIp = u32(b, spaAt);
    arp.targetIp = u32(b, tpaAt);
  }
  if (arp.complete) arp.kind = classify(b, arp, end);
  return arp;
}

/** IPv4 addresses, including AX.25's protocol id for IP (0xcc), as Wireshark accepts them. */
export function isIpv4(arp: Arp): boolean {
  return (arp.protoType === 0x0800 || arp.protoType === 0xcc) && arp.protoSize === 4;
}

export function isEthernetHw(arp: Arp): boolean {
  return (arp.hwType === 1 || arp.hwType === 6) && arp.hwSize === 6;
}

/**
 * RFC 5227's vocabulary, decided as Wireshark decides it: equal sender and target protocol
 * addresses make a request or reply gratuitous, and a gratuitous request with an all-zero
 * target hardware address an announcement; a request from sender address 0 with an all-zero
 * target hardware address is a probe.
 */
function classify(b: Uint8Array, arp: Arp, end: number): ArpKind {
  if (arp.opcode !== ArpOp.Request && arp.opcode !== ArpOp.Reply) return 'other';
  const gratuitous = sameBytes(b, arp.spaAt, arp.tpaAt, arp.protoSize);
  // Wireshark compares six target hardware bytes whatever the hardware size says.
  const zeroTarget = arp.thaAt + 6 <= end && isZero(b, arp.thaAt, 6);
  if (arp.opcode === ArpOp.Reply) return gratuitous ? 'gratuitous' : 'reply';
  if (gratuitous) return zeroTarget ? 'announcement' : 'gratuitous';
  if (zeroTarget && arp.spaAt + 4 <= end && u32(b, arp.spaAt) === 0) return 'probe';
  return 'request';
}

function sameBytes(b: Uint8Array, p: number, q: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[p + i] !== b[q + i]) return false;
  return true;
}

function isZero(b: Uint8Array, p: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[p + i] !== 0) return false;
  return true;
}

export const ARP_OPCODE_NAMES: Readonly<Record<number, string>> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  5: 'DRARP-Request',
  6: 'DRARP-Reply',
  7: 'DRARP-Error',
  8: 'InARP request',
  9: 'InARP reply',
  10: 'ARP-NAK',
  11: 'MARS request',
  12: 'MARS multi',
  13: 'MARS mserv',
  14: 'MARS join',
  15: 'MARS leave',
  16: 'MARS NAK',
  17: 'MARS unserv',
  18: 'MARS sjoin',
  19: 'MARS sleave',
  20: 'MARS grouplist request',
  21: 'MARS grouplist reply',
  22: 'MARS redirect map',
  23: 'MAPOS UNARP',
  24: 'OP_EXP1',
  25: 'OP_EXP2',
};

export const ARP_HW_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet',
  6: 'IEEE 802',
  7: 'ARCNET',
  15: 'Frame Relay',
  16: 'ATM',
  18: 'Fibre Channel',
  19: 'ATM',
  20: 'Serial Line',
  32: 'InfiniBand',
  3: 'AX.25',
};

/**
 * Wireshark's Info texts by opcode. A frame shorter than the header's address sizes gets only
 * the suffix, as Wireshark gives up before writing any text.
 */
export function arpInfo(b: Uint8Array, arp: Arp, short: string): string {
  if (!arp.complete) return short;
  const spa = protoText(b, arp, arp.spaAt);
  const tpa = protoText(b, arp, arp.tpaAt);
  const sha = () => hwText(b, arp, arp.shaAt);
  const tha = () => hwText(b, arp, arp.thaAt);
  switch (arp.opcode) {
    case ArpOp.Request:
      if (arp.kind === 'announcement') return `ARP Announcement for ${tpa}`;
      if (arp.kind === 'gratuitous') return `Gratuitous ARP for ${tpa} (Request)`;
      if (arp.kind === 'probe') return `Who has ${tpa}? (ARP Probe)`;
      return `Who has ${tpa}? Tell ${spa}`;
    case ArpOp.Reply:
      return arp.kind === 'gratuitous' ? `Gratuitous ARP for ${spa} (Reply)` : `${spa} is at ${sha()}`;
    case ArpOp.RarpRequest:
    case ArpOp.InarpRequest:
    case ArpOp.DrarpRequest:
      return `Who is ${tha()}? Tell ${sha()}`;
    case ArpOp.RarpReply:
    case ArpOp.DrarpReply:
      return `${tha()} is at ${tpa}`;
    case ArpOp.DrarpError:
      return 'DRARP Error';
    case ArpOp.InarpReply:
      return `${sha()} is at ${spa}`;
  }
  return otherOpcodeInfo(arp.opcode, sha, spa);
}

const MARS: Readonly<Record<number, string>> = {
  11: 'MARS request from',
  12: 'MARS MULTI request from',
  13: 'MARS MSERV request from',
  14: 'MARS JOIN request from',
  15: 'MARS LEAVE from',
  16: 'MARS NAK from',
  17: 'MARS UNSERV request from',
  18: 'MARS SJOIN request from',
  19: 'MARS SLEAVE from',
  20: 'MARS grouplist request from',
  21: 'MARS grouplist reply from',
  22: 'MARS redirect map from',
  23: 'MAPOS UNARP request from',
};

function otherOpcodeInfo(opcode: number, sha: () => string, spa: string): string {
  if (opcode === 10) return 'ARP NAK';
  if (MARS[opcode]) return `${MARS[opcode]} ${sha()} at ${spa}`;
  if (opcode === 24 || opcode === 25) return `Experimental ${opcode - 23} ( opcode ${opcode} )`;
  if (opcode === 0 || opcode === 65535) return `Reserved opcode ${opcode}`;
  return `Unknown ARP opcode 0x${opcode.toString(16).padStart(4, '0')}`;
}

export function protoText(b: Uint8Array, arp: Arp, at: number): string {
  if (arp.protoSize === 0) return '<No address>';
  if (isIpv4(arp)) return ipv4Text(u32(b, at));
  return hexBytes(b, at, arp.protoSize);
}

export function hwText(b: Uint8Array, arp: Arp, at: number): string {
  if (arp.hwSize === 0) return '<No address>';
  if (isEthernetHw(arp)) return macAt(b, at);
  return hexBytes(b, at, arp.hwSize);
}

/** Wireshark's bytes_to_str: contiguous hex, cut after 36 bytes with an ellipsis. */
export function hexBytes(b: Uint8Array, at: number, n: number): string {
  let text = '';
  for (let i = 0; i < Math.min(n, 36); i++) text += b[at + i].toString(16).padStart(2, '0');
  return n > 36 ? `${text}…` : text;
}

/** "Address Resolution Protocol (request)" and its fields; `name(at)` resolves a MAC's vendor. */
export function arpTree(b: Uint8Array, arp: Arp, end: number, t: Tree, name: (at: number) => string): DetailNode {
  const p = arp.at;
  const op = ARP_OPCODE_NAMES[arp.opcode];
  const title = op === undefined ? `opcode ${hex(arp.opcode, 4)}` : arp.kind === 'gratuitous' || arp.kind === 'announcement' ? `${op}/gratuitous ARP` : op;
  const c = [
    t.node(`Hardware type: ${ARP_HW_NAMES[arp.hwType] ?? 'Unknown'} (${arp.hwType})`, p, 2),
    t.node(`Protocol type: ${arp.protoType === 0x0800 ? 'IPv4' : 'Unknown'} (${hex(arp.protoType, 4)})`, p + 2, 2),
    t.node(`Hardware size: ${arp.hwSize}`, p + 4, 1),
    t.node(`Protocol size: ${arp.protoSize}`, p + 5, 1),
    t.node(`Opcode: ${op ?? 'Unknown'} (${arp.opcode})`, p + 6, 2),
  ];
  const address = (what: string, at: number, hw: boolean) => {
    const size = hw ? arp.hwSize : arp.protoSize;
    if (size === 0 || at + size > end) return;
    const text = hw ? (isEthernetHw(arp) ? `${name(at)} (${macAt(b, at)})` : hwText(b, arp, at)) : protoText(b, arp, at);
    const kind = hw ? (isEthernetHw(arp) ? 'MAC address' : 'hardware address') : isIpv4(arp) ? 'IP address' : 'protocol address';
    c.push(t.node(`${what} ${kind}: ${text}`, at, size));
  };
  address('Sender', arp.shaAt, true);
  address('Sender', arp.spaAt, false);
  address('Target', arp.thaAt, true);
  address('Target', arp.tpaAt, false);
  return t.node(`Address Resolution Protocol (${title})`, p, Math.min(arp.totalBytes, end - p), c);
}
