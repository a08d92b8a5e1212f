// Link-layer headers: Ethernet with 802.1Q/802.1ad tags, Linux cooked (SLL, SLL2) and BSD
// loopback. Each returns the whole frame, header then payload.
import { concat, mac, u16, u32, type Addr } from './bytes.ts';

export interface Vlan {
  tpid: 0x8100 | 0x88a8 | 0x9100;
  id: number;
  pcp?: number;
}

/**
 * `padTo` pads the frame with zeros to that many bytes: 60 for a frame received from the
 * wire (64 with the FCS, which captures omit); frames a host transmits are captured before
 * the NIC pads them.
 */
export function ethernet(o: { dst: Addr; src: Addr; vlans?: readonly Vlan[]; etherType: number; payload: Uint8Array; padTo?: number }): Uint8Array {
  const tags = (o.vlans ?? []).map((v) => concat(u16(v.tpid), u16(((v.pcp ?? 0) << 13) | (v.id & 0xfff))));
  const frame = concat(mac(o.dst), mac(o.src), ...tags, u16(o.etherType), o.payload);
  if (o.padTo === undefined || frame.length >= o.padTo) return frame;
  const out = new Uint8Array(o.padTo);
  out.set(frame);
  return out;
}

/** LINKTYPE_LINUX_SLL (113). */
export function linuxSll(o: { pktType: number; haType: number; addr: Addr; protocol: number; payload: Uint8Array }): Uint8Array {
  const addr = mac(o.addr);
  const field = new Uint8Array(8);
  field.set(addr.subarray(0, 8));
  return concat(u16(o.pktType), u16(o.haType), u16(addr.length), field, u16(o.protocol), o.payload);
}

/** LINKTYPE_LINUX_SLL2 (276). */
export function linuxSll2(o: { protocol: number; ifIndex: number; haType: number; pktType: number; addr: Addr; payload: Uint8Array }): Uint8Array {
  const addr = mac(o.addr);
  const field = new Uint8Array(8);
  field.set(addr.subarray(0, 8));
  return concat(u16(o.protocol), u16(0), u32(o.ifIndex), u16(o.haType), Uint8Array.of(o.pktType, addr.length), field, o.payload);
}

/** LINKTYPE_NULL (0): the family is in the capturing host's byte order. */
export function bsdNull(family: number, payload: Uint8Array, littleEndian: boolean): Uint8Array {
  const hdr = new Uint8Array(4);
  new DataView(hdr.buffer).setUint32(0, family, littleEndian);
  return concat(hdr, payload);
}
