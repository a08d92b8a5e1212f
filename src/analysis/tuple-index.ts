/**
 * Ids for fixed-size tuples of 32-bit words, by open addressing: grouping 600k flows into
 * conversations by numbers, where a Map of string keys takes seconds.
 */
export class TupleIndex {
  count = 0;
  words: Uint32Array;
  private slots: Int32Array;

  constructor(
    readonly width: number,
    expected = 1024,
  ) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.words = new Uint32Array(expected * width);
  }

  /** The tuple's id, added if new (then `count - 1`). */
  id(t: Uint32Array): number {
    const slots = this.slots;
    const h = hash(t, 0, this.width);
    const mask = slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot];
      if (id < 0) {
        slots[slot] = this.add(t);
        if (this.count * 2 > slots.length) this.rehash();
        return this.count - 1;
      }
      if (this.equal(id, t)) return id;
    }
  }

  private equal(id: number, t: Uint32Array): boolean {
    const at = id * this.width;
    for (let i = 0; i < this.width; i++) if (this.words[at + i] !== t[i]) return false;
    return true;
  }

  private add(t: Uint32Array): number {
    const id = this.count++;
    if (this.count * this.width > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words.set(t.subarray(0, this.width), id * this.width);
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = hash(this.words, id * this.width, this.width) & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** FNV-1a over words, with a final shift so the low bits (the slot) see the high ones. */
function hash(words: Uint32Array, at: number, width: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < width; i++) h = Math.imul(h ^ words[at + i], 0x01000193);
  return h ^ (h >>> 15);
}
