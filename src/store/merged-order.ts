/**
 * All open captures' packets in one time order: by exact time, as mergecap orders them, and
 * on a tie the earlier capture first, then frame order (mergecap 4.0 puts the later file
 * first on a tie; we keep the order the captures were given). A position p in this order is
 * how the list and the timeline name a packet. With one capture it is that capture's own
 * time order, with no extra memory.
 *
 * Times are seconds since the workspace's base second (the first capture's base), as
 * doubles: each capture adds its offset from that base. The merge itself compares exact
 * times (whole seconds and nanoseconds).
 */
import type { PacketStore } from './packet-store.ts';
import { partitionPoint } from './search.ts';

export interface OrderedCapture {
  store: PacketStore;
  /** Added to the store's times (seconds since its baseSec): whole seconds, and nanoseconds (0 to 1e9). */
  offsetSec: number;
  offsetNs?: number;
}

/** The most captures one order can tell apart: the capture of each position is kept in 16 bits. */
export const MAX_MERGED_CAPTURES = 65536;

export class MergedOrder {
  readonly length: number;
  /** The capture of each merged position: 8 bits for up to 256 captures, 16 up to 65,536. */
  private readonly captureOf: Uint8Array | Uint16Array | null;
  private readonly rowOf: Uint32Array | null;
  /** Where each capture starts, when the captures are simply concatenated. */
  private readonly starts: number[] | null = null;
  /** Each capture's offset as one double, for time(). */
  private readonly offsets: number[];

  /** `concatenate`: one capture after the other, without merging (while still reading). */
  constructor(
    private readonly captures: OrderedCapture[],
    concatenate = false,
  ) {
    if (captures.length > MAX_MERGED_CAPTURES)
      throw new RangeError(`${captures.length} captures cannot be merged: at most ${MAX_MERGED_CAPTURES} can be open together`);
    this.length = captures.reduce((n, c) => n + c.store.length, 0);
    this.offsets = captures.map((c) => c.offsetSec + (c.offsetNs ?? 0) / 1e9);
    this.captureOf = this.rowOf = null;
    if (captures.length > 1 && concatenate) {
      let start = 0;
      this.starts = captures.map((c) => (start += c.store.length) - c.store.length);
    } else if (captures.length > 1) {
      [this.captureOf, this.rowOf] = merge(captures, this.length);
    }
  }

  captureAt(p: number): number {
    if (this.captureOf) return this.captureOf[p];
    if (!this.starts) return 0;
    let c = this.starts.length - 1;
    while (c > 0 && this.starts[c] > p) c--;
    return c;
  }

  rowAt(p: number): number {
    if (this.rowOf) return this.rowOf[p];
    const c = this.captureAt(p);
    return this.captures[c].store.rowAt(p - (this.starts ? this.starts[c] : 0));
  }

  time(p: number): number {
    const c = this.captureAt(p);
    return this.captures[c].store.relSeconds(this.rowAt(p)) + this.offsets[c];
  }

  /** First position whose time is >= t. */
  lowerBound(t: number): number {
    return partitionPoint(0, this.length, (p) => this.time(p) < t);
  }

  /** position of (capture, row): the inverse of captureAt/rowAt, built when first asked. */
  positionsOfRows(): (capture: number, row: number) => number {
    if (this.captures.length === 1 && !this.captures[0].store.order) return (_c, row) => row;
    const starts: number[] = [];
    let total = 0;
    for (const c of this.captures) {
      starts.push(total);
      total += c.store.length;
    }
    const inverse = new Uint32Array(total);
    for (let p = 0; p < this.length; p++) inverse[starts[this.captureAt(p)] + this.rowAt(p)] = p;
    return (c, row) => inverse[starts[c] + row];
  }

  get bytes(): number {
    return (this.captureOf?.byteLength ?? 0) + (this.rowOf?.byteLength ?? 0);
  }
}

/**
 * A k-way merge of the captures' own time orders (k is small: a linear scan picks), by exact
 * placed time: whole seconds since the base and ns; ties go to the earlier capture.
 */
function merge(captures: OrderedCapture[], total: number): [Uint8Array | Uint16Array, Uint32Array] {
  const captureOf = captures.length <= 256 ? new Uint8Array(total) : new Uint16Array(total);
  const rowOf = new Uint32Array(total);
  const next = new Array<number>(captures.length).fill(0);
  const headSec = new Float64Array(captures.length);
  const headNs = new Float64Array(captures.length);
  const advance = (c: number) => {
    const { store, offsetSec, offsetNs = 0 } = captures[c];
    if (next[c] >= store.length) {
      headSec[c] = Infinity;
      return;
    }
    const row = store.rowAt(next[c]);
    const ns = store.tsNs[row] + offsetNs;
    const carry = ns >= 1e9 ? 1 : 0;
    headSec[c] = store.sec(row) - store.baseSec + offsetSec + carry;
    headNs[c] = ns - carry * 1e9;
  };
  for (let c = 0; c < captures.length; c++) advance(c);
  for (let p = 0; p < total; p++) {
    let best = 0;
    for (let c = 1; c < captures.length; c++) if (headSec[c] < headSec[best] || (headSec[c] === headSec[best] && headNs[c] < headNs[best])) best = c;
    captureOf[p] = best;
    rowOf[p] = captures[best].store.rowAt(next[best]++);
    advance(best);
  }
  return [captureOf, rowOf];
}
