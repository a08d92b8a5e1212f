/**
 * Time-order positions grouped by protocol class (a CSR layout: one Uint32Array of all
 * positions, each class's run sorted, plus run starts), so that per-lane counts per time
 * bin are binary searches over integers: O(lanes * bins * log n), not O(packets).
 */
import type { Capture } from './capture.ts';
import { flowClass, keyAt } from './flow-key.ts';
import { lowerBound } from './search.ts';

export const CLASS_COUNT = 32;

export interface ClassIndex {
  positions: Uint32Array;
  /** Run of class c: positions[starts[c] .. starts[c + 1]). */
  starts: Uint32Array;
}

export function classOfRow(capture: Capture, row: number): number {
  return flowClass(capture.flows.keys, keyAt(capture.store.flow[row]));
}

export function buildClassIndex(capture: Capture): ClassIndex {
  const { store } = capture;
  const n = store.length;
  const classOfFlow = new Uint8Array(capture.flows.count);
  const keys = capture.flows.keys;
  for (let id = 0; id < capture.flows.count; id++) classOfFlow[id] = flowClass(keys, keyAt(id));
  const starts = new Uint32Array(CLASS_COUNT + 1);
  for (let k = 0; k < n; k++) starts[classOfFlow[store.flow[store.rowAt(k)]] + 1]++;
  for (let c = 0; c < CLASS_COUNT; c++) starts[c + 1] += starts[c];
  const fill = starts.slice(0, CLASS_COUNT);
  const positions = new Uint32Array(n);
  // Walking positions in order keeps every class's run sorted.
  for (let k = 0; k < n; k++) positions[fill[classOfFlow[store.flow[store.rowAt(k)]]]++] = k;
  return { positions, starts };
}

/** How many of class c's positions are below `position`. */
export function countBelow(index: ClassIndex, c: number, position: number): number {
  const first = index.starts[c];
  return lowerBound(index.positions, position, first, index.starts[c + 1]) - first;
}
