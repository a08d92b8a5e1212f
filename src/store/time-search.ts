/**
 * Binary search of a capture's time order. Times are seconds since the capture's baseSec
 * as doubles: fine for drawing and binning, never used for printing.
 */
import type { PacketStore } from './packet-store.ts';
import { partitionPoint } from './search.ts';

/** First time-order position whose time is >= t. */
export function lowerBound(store: PacketStore, t: number): number {
  return partitionPoint(0, store.length, (k) => store.relSeconds(store.rowAt(k)) < t);
}
