/** IPv6 addresses interned to small ids, so a flow key holds them in one word each. */
import { grown, trimmed } from './growable.ts';

export class Ipv6Dictionary {
  words = new Uint32Array(4 * 256);
  count = 0;
  private slots = new Int32Array(1 << 10).fill(-1);

  intern(b: Uint8Array, at: number): number {
    const w0 = word(b, at),
      w1 = word(b, at + 4),
      w2 = word(b, at + 8),
      w3 = word(b, at + 12);
    const h = Math.imul(Math.imul(Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b) ^ w1, 0xc2b2ae35) ^ w2, 0x27d4eb2f) ^ w3;
    const mask = this.slots.length - 1;
    let slot = (h ^ (h >>> 16)) & mask;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      const base = id * 4;
      if (this.words[base] === w0 && this.words[base + 1] === w1 && this.words[base + 2] === w2 && this.words[base + 3] === w3) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    this.words = grown(this.words, this.count * 4);
    this.words.set([w0, w1, w2, w3], id * 4);
    this.slots[slot] = id;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The address as 16 bytes. */
  bytesOf(id: number): Uint8Array {
    const out = new Uint8Array(16);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) view.setUint32(i * 4, this.words[id * 4 + i]);
    return out;
  }

  freeze(): void {
    this.words = trimmed(this.words, this.count * 4);
    this.slots = new Int32Array(0);
  }

  get bytes(): number {
    return this.words.byteLength + this.slots.byteLength;
  }

  private rehash(): void {
    const old = this.count;
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.count = 0;
    const words = this.words;
    this.words = new Uint32Array(words.length);
    const tmp = new Uint8Array(16);
    const view = new DataView(tmp.buffer);
    for (let id = 0; id < old; id++) {
      for (let i = 0; i < 4; i++) view.setUint32(i * 4, words[id * 4 + i]);
      this.intern(tmp, 0);
    }
  }
}

function word(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}
