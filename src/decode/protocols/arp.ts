/**
 * ARP and RARP: RFC 826 (https://www.rfc-editor.org/rfc/rfc826), RFC 903 (RARP), RFC 2390
 * (Inverse ARP), RFC 5227 (probes and announcements). Opcode numbers from IANA's
 * arp-parameters registry.
 */
import { u16, u32 } from './ethernet.ts';

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
    shaAt, spaAt, thaAt, tpaAt,
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

export function isIpv4(arp: Arp): boolean {
  return arp.protoType === 0x0800 && arp.protoSize === 4;
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
  1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'DRARP-Request', 6: 'DRARP-Reply',
  7: 'DRARP-Error', 8: 'InARP request', 9: 'InARP reply', 10: 'ARP-NAK', 11: 'MARS request', 12: 'MARS multi',
  13: 'MARS mserv', 14: 'MARS join', 15: 'MARS leave', 16: 'MARS NAK', 17: 'MARS unserv', 18: 'MARS sjoin',
  19: 'MARS sleave', 20: 'MARS grouplist request', 21: 'MARS grouplist reply', 22: 'MARS redirect map',
  23: 'MAPOS UNARP', 24: 'OP_EXP1', 25: 'OP_EXP2',
};

export const ARP_HW_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 6: 'IEEE 802', 7: 'ARCNET', 15: 'Frame Relay', 16: 'ATM', 18: 'Fibre Channel', 19: 'ATM',
  20: 'Serial Line', 32: 'InfiniBand', 3: 'AX.25',
};
