/**
 * Packets per time bin over a window, for the timeline. Times are seconds since the
 * capture's baseSec as doubles: fine for drawing, never used for printing.
 * With the time order known the answer is O(bins * log n) by binary search; while ingest
 * is still running (no order yet) it is one pass over the rows read so far.
 */
import type { PacketStore } from './packet-store.ts';

export function timeBins(store: PacketStore, fromSec: number, toSec: number, binCount: number, sorted: boolean): Uint32Array {
  const counts = new Uint32Array(binCount);
  const width = (toSec - fromSec) / binCount;
  if (!(width > 0)) return counts;
  if (!sorted) {
    for (let i = 0; i < store.length; i++) {
      const bin = Math.floor((store.relSeconds(i) - fromSec) / width);
      if (bin >= 0 && bin < binCount) counts[bin]++;
    }
    return counts;
  }
  let lower = lowerBound(store, fromSec);
  for (let b = 0; b < binCount; b++) {
    const upper = lowerBound(store, fromSec + width * (b + 1));
    counts[b] = upper - lower;
    lower = upper;
  }
  return counts;
}

/** First time-order position whose time is >= t. */
export function lowerBound(store: PacketStore, t: number): number {
  let lo = 0;
  let hi = store.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (store.relSeconds(store.rowAt(mid)) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
