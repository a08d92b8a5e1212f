/**
 * TCP conversations as Wireshark keys them: addresses and ports only. A flow (which also
 * holds MACs and VLANs) maps to one conversation direction; the same TCP connection seen
 * untagged and tagged, or through asymmetric MACs, is one conversation, as in tshark.
 */
import { grown, trimmed } from './growable.ts';

const WORDS = 4; // ipSrc, ipDst, portA | portB << 16, ipVersion

export class TcpConversations {
  keys = new Uint32Array(WORDS * 256);
  count = 0;
  private slots = new Int32Array(1 << 10).fill(-1);

  /** The direction's id, adding it if new. */
  intern(ipSrc: number, ipDst: number, ports: number, ipVersion: number): number {
    const found = this.find(ipSrc, ipDst, ports, ipVersion);
    if (found >= 0) return found;
    const id = this.count++;
    this.keys = grown(this.keys, this.count * WORDS);
    this.keys.set([ipSrc, ipDst, ports, ipVersion], id * WORDS);
    this.place(id);
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The other direction of the same connection, added if new. */
  internReverse(id: number): number {
    const k = this.keys;
    const at = id * WORDS;
    return this.intern(k[at + 1], k[at], ((k[at + 2] >>> 16) | (k[at + 2] << 16)) >>> 0, k[at + 3]);
  }

  /** The other direction of the same connection, or -1. */
  reverseOf(id: number): number {
    const k = this.keys;
    const at = id * WORDS;
    return this.find(k[at + 1], k[at], ((k[at + 2] >>> 16) | (k[at + 2] << 16)) >>> 0, k[at + 3]);
  }

  freeze(): void {
    this.keys = trimmed(this.keys, this.count * WORDS);
    this.slots = new Int32Array(0);
  }

  get bytes(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  private find(ipSrc: number, ipDst: number, ports: number, ipVersion: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash(ipSrc, ipDst, ports, ipVersion) & mask, id: number; (id = this.slots[slot]) >= 0; slot = (slot + 1) & mask) {
      const at = id * WORDS;
      if (this.keys[at] === ipSrc && this.keys[at + 1] === ipDst && this.keys[at + 2] === ports && this.keys[at + 3] === ipVersion) return id;
    }
    return -1;
  }

  private place(id: number): void {
    const at = id * WORDS;
    const mask = this.slots.length - 1;
    let slot = hash(this.keys[at], this.keys[at + 1], this.keys[at + 2], this.keys[at + 3]) & mask;
    while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let id = 0; id < this.count; id++) this.place(id);
  }
}

function hash(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0xcc9e2d51);
  h = Math.imul(((h << 13) | (h >>> 19)) ^ b, 0x1b873593);
  h = Math.imul(((h << 13) | (h >>> 19)) ^ c, 0xcc9e2d51);
  h = Math.imul(((h << 13) | (h >>> 19)) ^ d, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
