/**
 * All open captures' packets in one time order (as mergecap orders them: by time, ties by
 * capture then frame). A position p in this order is how the list and the timeline name a
 * packet. With one capture it is that capture's own time order, with no extra memory.
 *
 * Times are seconds since the workspace's base second (the first capture's base), as
 * doubles: each capture adds its whole-second offset from that base.
 */
import type { PacketStore } from './packet-store.ts';

export interface OrderedCapture {
  store: PacketStore;
  offsetSec: number;
}

export class MergedOrder {
  readonly length: number;
  private readonly captureOf: Uint8Array | null;
  private readonly rowOf: Uint32Array | null;

  constructor(private readonly captures: OrderedCapture[]) {
    this.length = captures.reduce((n, c) => n + c.store.length, 0);
    if (captures.length <= 1) {
      this.captureOf = this.rowOf = null;
    } else {
      [this.captureOf, this.rowOf] = merge(captures, this.length);
    }
  }

  captureAt(p: number): number {
    return this.captureOf ? this.captureOf[p] : 0;
  }

  rowAt(p: number): number {
    return this.rowOf ? this.rowOf[p] : this.captures[0].store.rowAt(p);
  }

  time(p: number): number {
    const c = this.captures[this.captureAt(p)];
    return c.store.relSeconds(this.rowAt(p)) + c.offsetSec;
  }

  /** First position whose time is >= t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get bytes(): number {
    return (this.captureOf?.byteLength ?? 0) + (this.rowOf?.byteLength ?? 0);
  }
}

/** A k-way merge of the captures' own time orders (k is small: a linear scan picks). */
function merge(captures: OrderedCapture[], total: number): [Uint8Array, Uint32Array] {
  const captureOf = new Uint8Array(total);
  const rowOf = new Uint32Array(total);
  const next = new Array<number>(captures.length).fill(0);
  const head = captures.map((c) => (c.store.length ? c.store.relSeconds(c.store.rowAt(0)) + c.offsetSec : Infinity));
  for (let p = 0; p < total; p++) {
    let best = 0;
    for (let c = 1; c < captures.length; c++) if (head[c] < head[best]) best = c;
    const { store, offsetSec } = captures[best];
    captureOf[p] = best;
    rowOf[p] = store.rowAt(next[best]++);
    head[best] = next[best] < store.length ? store.relSeconds(store.rowAt(next[best])) + offsetSec : Infinity;
  }
  return [captureOf, rowOf];
}
