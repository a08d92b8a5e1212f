/**
 * The flow key: what every packet of a flow shares (addresses, VLANs, EtherType, protocol,
 * ports), FLOW_WORDS 32-bit words per flow in one Uint32Array. This file alone knows the
 * layout; everything else reads a key through the accessors below, which take the keys and
 * the key's first word (`keyAt(id)`), so that hot loops over flows make no object per flow.
 *
 *   word  bits 31                16 15                 0
 *   0     macSrc[0..1]             | macSrc[2..3]
 *   1     macSrc[4..5]             | macDst[0..1]
 *   2     macDst[2..3]             | macDst[4..5]
 *   3     vlanInner                | vlanOuter             (NO_VLAN where there is none)
 *   4     class:8 | ipProto:8      | etherType
 *   5     ipSrc: IPv4 address, or IPv6 dictionary id
 *   6     ipDst
 *   7     dstPort                  | srcPort               (ICMP: code | type; ARP: 0 | opcode)
 *   8     0                        | 0:4 arpFixedLayout:1 ip6ExtHeaders:1 snap:1 hasMac:1 vlanCount:4 ipVersion:4
 */
import type { FrameFields } from '../decode/frame-fields.ts';

export const FLOW_WORDS = 9;

const enum Word {
  MacSrc = 0,
  MacMid = 1,
  MacDst = 2,
  Vlans = 3,
  Types = 4,
  IpSrc = 5,
  IpDst = 6,
  Ports = 7,
  Meta = 8,
}

const enum Bit {
  VlanCountShift = 4,
  HasMac = 1 << 8,
  Snap = 1 << 9,
  Ip6Ext = 1 << 10,
  ArpFixed = 1 << 11,
}

/** Where flow `id`'s key starts in the keys. */
export function keyAt(id: number): number {
  return id * FLOW_WORDS;
}

/** Writes the key of a decoded frame at keys[at .. at + FLOW_WORDS); ipSrc/ipDst are already interned. */
export function writeFlowKey(keys: Uint32Array, at: number, f: FrameFields, ipSrc: number, ipDst: number): void {
  keys[at + Word.MacSrc] = (f.macSrcHi << 16) | (f.macSrcLo >>> 16);
  keys[at + Word.MacMid] = ((f.macSrcLo & 0xffff) << 16) | f.macDstHi;
  keys[at + Word.MacDst] = f.macDstLo;
  keys[at + Word.Vlans] = f.vlanOuter | (f.vlanInner << 16);
  keys[at + Word.Types] = f.etherType | (f.ipProto << 16) | (f.protocolClass << 24);
  keys[at + Word.IpSrc] = ipSrc;
  keys[at + Word.IpDst] = ipDst;
  keys[at + Word.Ports] = f.portA | (f.portB << 16);
  keys[at + Word.Meta] =
    f.ipVersion |
    (f.vlanCount << Bit.VlanCountShift) |
    (f.hasMac ? Bit.HasMac : 0) |
    (f.snap ? Bit.Snap : 0) |
    (f.ip6ExtHeaders ? Bit.Ip6Ext : 0) |
    (f.arpFixedLayout ? Bit.ArpFixed : 0);
}

/** The protocol class (ProtocolClass) the decoder gave the flow. */
export function flowClass(keys: Uint32Array, at: number): number {
  return keys[at + Word.Types] >>> 24;
}

export function etherType(keys: Uint32Array, at: number): number {
  return keys[at + Word.Types] & 0xffff;
}

/** The IP protocol (IPv6: the fixed header's next header), or 0. */
export function ipProto(keys: Uint32Array, at: number): number {
  return (keys[at + Word.Types] >>> 16) & 0xff;
}

/** 4, 6, or 0 for a frame without IP. */
export function ipVersion(keys: Uint32Array, at: number): number {
  return keys[at + Word.Meta] & 0x0f;
}

export function ipSrc(keys: Uint32Array, at: number): number {
  return keys[at + Word.IpSrc];
}

export function ipDst(keys: Uint32Array, at: number): number {
  return keys[at + Word.IpDst];
}

/** TCP/UDP source port; ICMP type; ARP opcode. */
export function srcPort(keys: Uint32Array, at: number): number {
  return keys[at + Word.Ports] & 0xffff;
}

/** TCP/UDP destination port; ICMP code. */
export function dstPort(keys: Uint32Array, at: number): number {
  return keys[at + Word.Ports] >>> 16;
}

/** Both ports as one number (srcPort | dstPort << 16), for grouping. */
export function portPair(keys: Uint32Array, at: number): number {
  return keys[at + Word.Ports];
}

/** VLAN tags in front of the EtherType (at most 15 are counted). */
export function vlanCount(keys: Uint32Array, at: number): number {
  return (keys[at + Word.Meta] >> Bit.VlanCountShift) & 0x0f;
}

/** The outer tag's VLAN id, or NO_VLAN. */
export function vlanOuter(keys: Uint32Array, at: number): number {
  return keys[at + Word.Vlans] & 0xffff;
}

/** The second tag's VLAN id, or NO_VLAN. */
export function vlanInner(keys: Uint32Array, at: number): number {
  return keys[at + Word.Vlans] >>> 16;
}

/** Both VLAN ids as one number (outer | inner << 16), for grouping. */
export function vlanIds(keys: Uint32Array, at: number): number {
  return keys[at + Word.Vlans];
}

/** The frame has Ethernet-style MAC addresses (macSrc*, macDst* are meaningful). */
export function hasMac(keys: Uint32Array, at: number): boolean {
  return (keys[at + Word.Meta] & Bit.HasMac) !== 0;
}

/** The EtherType came from an 802.2 SNAP header, not the type field. */
export function snap(keys: Uint32Array, at: number): boolean {
  return (keys[at + Word.Meta] & Bit.Snap) !== 0;
}

/** IPv6 extension headers came before the transport, so ipProto is not the fixed header's next header. */
export function ip6ExtHeaders(keys: Uint32Array, at: number): boolean {
  return (keys[at + Word.Meta] & Bit.Ip6Ext) !== 0;
}

/** ARP with 6-byte hardware and 4-byte protocol addresses (ipSrc/ipDst are its sender and target). */
export function arpFixedLayout(keys: Uint32Array, at: number): boolean {
  return (keys[at + Word.Meta] & Bit.ArpFixed) !== 0;
}

/** The source MAC's first two bytes (as FrameFields.macSrcHi). */
export function macSrcHi(keys: Uint32Array, at: number): number {
  return keys[at + Word.MacSrc] >>> 16;
}

/** The source MAC's last four bytes (as FrameFields.macSrcLo). */
export function macSrcLo(keys: Uint32Array, at: number): number {
  return (((keys[at + Word.MacSrc] & 0xffff) << 16) | (keys[at + Word.MacMid] >>> 16)) >>> 0;
}

export function macDstHi(keys: Uint32Array, at: number): number {
  return keys[at + Word.MacMid] & 0xffff;
}

export function macDstLo(keys: Uint32Array, at: number): number {
  return keys[at + Word.MacDst];
}

/** The source MAC as one 48-bit number (exact in a double). */
export function macSrc(keys: Uint32Array, at: number): number {
  return macSrcHi(keys, at) * 0x100000000 + macSrcLo(keys, at);
}
