/**
 * Dictionary of flow keys: every packet stores one 32-bit flow id instead of its addresses,
 * VLANs, EtherType, protocol and ports (the key, laid out in flow-key.ts).
 *
 * Lookup is open addressing over an Int32Array of flow ids; keys live in one Uint32Array.
 * With hundreds of thousands of flows every probe is a cache miss: each slot holds the
 * flow's hash beside its id, so a probe costs one miss and a hit one more (its key).
 */
import type { FrameFields } from '../decode/frame-fields.ts';
import { FLOW_WORDS, keyAt, writeFlowKey } from './flow-key.ts';
import { grown, trimmed } from './growable.ts';

export class FlowTable {
  keys = new Uint32Array(FLOW_WORDS * 1024);
  count = 0;
  /** Pairs (flow id or -1, hash) per slot. */
  private slots = new Int32Array(2 << 12).fill(-1);
  private lastId = -1;
  /** The key being looked up, written once per packet. */
  private readonly probe = new Uint32Array(FLOW_WORDS);

  /** Returns the id of the frame's flow, adding it if new. ipSrc/ipDst are already interned. */
  intern(f: FrameFields, ipSrc: number, ipDst: number): number {
    const probe = this.probe;
    writeFlowKey(probe, 0, f, ipSrc, ipDst);
    const keys = this.keys;
    // Bursts of one flow are common (a storm is millions of one frame): check the last first.
    let id = this.lastId;
    if (id >= 0 && matches(keys, keyAt(id), probe)) return id;
    const h = hash(probe);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = h & mask;
    while ((id = slots[slot << 1]) >= 0) {
      if (slots[(slot << 1) + 1] === h && matches(keys, keyAt(id), probe)) return (this.lastId = id);
      slot = (slot + 1) & mask;
    }
    id = this.count++;
    if (this.count * FLOW_WORDS > this.keys.length) this.keys = grown(this.keys, this.count * FLOW_WORDS);
    this.keys.set(probe, keyAt(id));
    slots[slot << 1] = id;
    slots[(slot << 1) + 1] = h;
    if (this.count * 4 > slots.length) this.rehash();
    return (this.lastId = id);
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

/** murmur3 over the key's words: the well-mixed low bits that linear probing depends on. */
function hash(k: Uint32Array): number {
  return fmix(mix(mix(mix(mix(mix(mix(mix(mix(mix(0x9747b28c, k[0]), k[1]), k[2]), k[3]), k[4]), k[5]), k[6]), k[7]), k[8]));
}

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

function matches(keys: Uint32Array, at: number, k: Uint32Array): boolean {
  return (
    keys[at] === k[0] &&
    keys[at + 1] === k[1] &&
    keys[at + 2] === k[2] &&
    keys[at + 3] === k[3] &&
    keys[at + 4] === k[4] &&
    keys[at + 5] === k[5] &&
    keys[at + 6] === k[6] &&
    keys[at + 7] === k[7] &&
    keys[at + 8] === k[8]
  );
}
