/**
 * Dictionary of flow keys: every packet stores one 32-bit flow id instead of its addresses,
 * VLANs, EtherType, protocol and ports. A flow key is FLOW_WORDS 32-bit words:
 *
 *   0 macSrc[0..3]  1 macSrc[4..5]|macDst[0..1]  2 macDst[2..5]
 *   3 vlanOuter | vlanInner<<16         4 etherType | ipProto<<16 | class<<24
 *   5 ipSrc (IPv4, or IPv6 dictionary id)  6 ipDst   7 portA | portB<<16
 *   8 ipVersion | vlanCount<<4 | hasMac<<8 | snap<<9 | ip6ExtHeaders<<10 | arpFixedLayout<<11
 *
 * Lookup is open addressing over an Int32Array of flow ids; keys live in one Uint32Array.
 * With hundreds of thousands of flows every probe is a cache miss: each slot holds the
 * flow's hash beside its id, so a probe costs one miss and a hit one more (its key).
 */
import type { FrameFields } from '../decode/frame-fields.ts';
import { grown, trimmed } from './growable.ts';

export const FLOW_WORDS = 9;

export class FlowTable {
  keys = new Uint32Array(FLOW_WORDS * 1024);
  count = 0;
  /** Pairs (flow id or -1, hash) per slot. */
  private slots = new Int32Array(2 << 12).fill(-1);
  private lastId = -1;

  /** Returns the id of the frame's flow, adding it if new. ipSrc/ipDst are already interned. */
  intern(f: FrameFields, ipSrc: number, ipDst: number): number {
    const k0 = ((f.macSrcHi << 16) | (f.macSrcLo >>> 16)) >>> 0;
    const k1 = (((f.macSrcLo & 0xffff) << 16) | f.macDstHi) >>> 0;
    const k2 = f.macDstLo;
    const k3 = (f.vlanOuter | (f.vlanInner << 16)) >>> 0;
    const k4 = (f.etherType | (f.ipProto << 16) | (f.protocolClass << 24)) >>> 0;
    const k5 = ipSrc >>> 0;
    const k6 = ipDst >>> 0;
    const k7 = (f.portA | (f.portB << 16)) >>> 0;
    const k8 = f.ipVersion | (f.vlanCount << 4) | ((f.hasMac ? 1 : 0) << 8) | ((f.snap ? 1 : 0) << 9) |
      ((f.ip6ExtHeaders ? 1 : 0) << 10) | ((f.arpFixedLayout ? 1 : 0) << 11);
    const keys = this.keys;
    // Bursts of one flow are common (a storm is millions of one frame): check the last first.
    let id = this.lastId;
    if (id >= 0 && matches(keys, id * FLOW_WORDS, k0, k1, k2, k3, k4, k5, k6, k7, k8)) return id;
    const h = fmix(mix(mix(mix(mix(mix(mix(mix(mix(mix(0x9747b28c, k0), k1), k2), k3), k4), k5), k6), k7), k8));
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = h & mask;
    while ((id = slots[slot << 1]) >= 0) {
      if (slots[(slot << 1) + 1] === h && matches(keys, id * FLOW_WORDS, k0, k1, k2, k3, k4, k5, k6, k7, k8)) return (this.lastId = id);
      slot = (slot + 1) & mask;
    }
    id = this.count++;
    if (this.count * FLOW_WORDS > this.keys.length) this.keys = grown(this.keys, this.count * FLOW_WORDS);
    const at = id * FLOW_WORDS;
    const ks = this.keys;
    ks[at] = k0; ks[at + 1] = k1; ks[at + 2] = k2; ks[at + 3] = k3; ks[at + 4] = k4;
    ks[at + 5] = k5; ks[at + 6] = k6; ks[at + 7] = k7; ks[at + 8] = k8;
    slots[slot << 1] = id;
    slots[(slot << 1) + 1] = h;
    if (this.count * 4 > slots.length) this.rehash();
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

  /** Doubles the table, keeping the load at most one half; hashes come from the old slots. */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2).fill(-1);
    const mask = (slots.length >> 1) - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s] < 0) continue;
      let slot = old[s + 1] & mask;
      while (slots[slot << 1] >= 0) slot = (slot + 1) & mask;
      slots[slot << 1] = old[s];
      slots[(slot << 1) + 1] = old[s + 1];
    }
    this.slots = slots;
  }
}

/** One murmur3 round: the well-mixed low bits that linear probing depends on. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function matches(keys: Uint32Array, at: number, k0: number, k1: number, k2: number, k3: number, k4: number, k5: number, k6: number, k7: number, k8: number): boolean {
  return keys[at] === k0 && keys[at + 1] === k1 && keys[at + 2] === k2 && keys[at + 3] === k3 && keys[at + 4] === k4 &&
    keys[at + 5] === k5 && keys[at + 6] === k6 && keys[at + 7] === k7 && keys[at + 8] === k8;
}
