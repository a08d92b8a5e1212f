/**
 * Binary search of a capture's time order. Times are seconds since the capture's baseSec
 * as doubles: fine for drawing and binning, never used for printing.
 */
import type { PacketStore } from './packet-store.ts';

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
