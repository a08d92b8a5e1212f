/**
 * Marks as the session places them: saved or shared (capture, row) pairs, and runs of list
 * rows, each answered in one call with merged positions and placed times (so a clock
 * offset moves them like everything else).
 */
import type { View } from '../store/view.ts';
import type { PlacedRows, RunPicks } from './contract.ts';
import type { Placement } from './placement.ts';

/**
 * For each (capture, row) its merged position and placed time, or -1 and NaN where that
 * capture has no such row. 100,000 marks cost one inverse of the order, not one each.
 */
export function placeRows(placement: Placement, captures: Uint32Array, rows: Uint32Array): PlacedRows {
  const position = placement.positions();
  const placed: PlacedRows = {
    positions: new Float64Array(rows.length).fill(-1),
    timesSec: new Float64Array(rows.length).fill(NaN),
    tsSec: new Float64Array(rows.length),
    tsNs: new Uint32Array(rows.length),
  };
  for (let i = 0; i < rows.length; i++) {
    const p = position(captures[i], rows[i]);
    if (p < 0) continue;
    const t = placement.instantOf(captures[i], rows[i]);
    placed.positions[i] = p;
    placed.timesSec[i] = placement.time(p);
    placed.tsSec[i] = t.sec;
    placed.tsNs[i] = t.ns;
  }
  return placed;
}

/**
 * The packets of list rows [fromIndex, toIndex), placed; `copiesOf`, when given, names every
 * open copy of a capture's file (itself included), and each row is picked in each copy.
 */
export function runPicks(placement: Placement, view: View, fromIndex: number, toIndex: number, copiesOf: Map<number, number[]> | null): RunPicks {
  const placed = placement.ordered();
  const captures: number[] = [];
  const rows: number[] = [];
  for (let i = Math.max(0, fromIndex); i < Math.min(toIndex, view.length); i++) {
    const p = view.positionAt(i);
    const capture = placed.captureAt(p);
    const row = placed.rowAt(p);
    for (const c of copiesOf?.get(capture) ?? [capture]) {
      captures.push(c);
      rows.push(row);
    }
  }
  const picks = { captures: Uint32Array.from(captures), rows: Uint32Array.from(rows) };
  return { ...picks, ...placeRows(placement, picks.captures, picks.rows) };
}
