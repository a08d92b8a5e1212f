/**
 * Dictionary of flow keys: every packet stores one 32-bit flow id instead of its addresses,
 * VLANs, EtherType, protocol and ports. A flow key is FLOW_WORDS 32-bit words:
 *
 *   0 macSrc[0..3]  1 macSrc[4..5]|macDst[0..1]  2 macDst[2..5]
 *   3 vlanOuter | vlanInner<<16         4 etherType | ipProto<<16 | class<<24
 *   5 ipSrc (IPv4, or IPv6 dictionary id)  6 ipDst   7 portA | portB<<16
 *   8 ipVersion | vlanCount<<4 | hasMac<<8 | snap<<9
 *
 * Lookup is open addressing over an Int32Array of flow ids; keys live in one Uint32Array.
 */
import type { FrameFields } from '../decode/frame-fields.ts';
import { grown, trimmed } from './growable.ts';

export const FLOW_WORDS = 9;

export class FlowTable {
  keys = new Uint32Array(FLOW_WORDS * 1024);
  count = 0;
  private slots = new Int32Array(1 << 12).fill(-1);
  private readonly scratch = new Uint32Array(FLOW_WORDS);
  private lastId = -1;

  /** Returns the id of the frame's flow, adding it if new. ipSrc/ipDst are already interned. */
  intern(f: FrameFields, ipSrc: number, ipDst: number): number {
    const k = this.scratch;
    k[0] = ((f.macSrcHi << 16) | (f.macSrcLo >>> 16)) >>> 0;
    k[1] = (((f.macSrcLo & 0xffff) << 16) | f.macDstHi) >>> 0;
    k[2] = f.macDstLo;
    k[3] = (f.vlanOuter | (f.vlanInner << 16)) >>> 0;
    k[4] = (f.etherType | (f.ipProto << 16) | (f.protocolClass << 24)) >>> 0;
    k[5] = ipSrc;
    k[6] = ipDst;
    k[7] = (f.portA | (f.portB << 16)) >>> 0;
    k[8] = f.ipVersion | (f.vlanCount << 4) | ((f.hasMac ? 1 : 0) << 8) | ((f.snap ? 1 : 0) << 9);
    // Bursts of one flow are common (a storm is millions of one frame): check the last first.
    if (this.lastId >= 0 && this.equals(this.lastId)) return this.lastId;
    let h = 0x811c9dc5;
    for (let i = 0; i < FLOW_WORDS; i++) h = Math.imul(h ^ k[i], 0x01000193) ^ (h >>> 15);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.equals(id)) return (this.lastId = id);
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    this.keys = grown(this.keys, this.count * FLOW_WORDS);
    this.keys.set(k, id * FLOW_WORDS);
    this.slots[slot] = id;
    if (this.count * 2 > this.slots.length) this.rehash();
    return (this.lastId = id);
  }

  word(id: number, w: number): number {
    return this.keys[id * FLOW_WORDS + w];
  }

  /** Drops the hash index: after ingest only lookups by id remain. */
  freeze(): void {
    this.keys = trimmed(this.keys, this.count * FLOW_WORDS);
    this.slots = new Int32Array(0);
  }

  get bytes(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  private equals(id: number): boolean {
    const base = id * FLOW_WORDS;
    const k = this.scratch;
    const keys = this.keys;
    for (let i = 0; i < FLOW_WORDS; i++) if (keys[base + i] !== k[i]) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let h = 0x811c9dc5;
      for (let i = 0; i < FLOW_WORDS; i++) h = Math.imul(h ^ this.keys[id * FLOW_WORDS + i], 0x01000193) ^ (h >>> 15);
      let slot = h & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}
