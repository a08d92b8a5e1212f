/**
 * Packets chosen for an export, by (capture, row) or by time range, each once, walked in
 * merged time order: a byte per merged position (no sort of millions of picks, 1 byte a
 * packet where a pick object took about 48), notes by position. The tab's exports and the
 * CLI's `export` both choose through here, so both write the merged order (merged-order.ts).
 */
import type { Pick } from '../export/capture-export.ts';
import type { Placement, PlacedOrder } from './placement.ts';

export class ChosenPackets {
  private readonly chosen: Uint8Array;
  private readonly comments = new Map<number, string>();
  private readonly placed: PlacedOrder;
  private readonly position: (capture: number, row: number) => number;
  count = 0;

  constructor(private readonly placement: Placement) {
    this.placed = placement.ordered();
    this.position = placement.positions();
    this.chosen = new Uint8Array(this.placed.length);
  }

  /** A capture's row, with its note (the first one given is kept); its position, or -1 when no such packet is open. */
  add(capture: number, row: number, comment?: string): number {
    const p = this.position(capture, row);
    if (p < 0) return -1;
    this.choose(p);
    if (comment && !this.comments.has(p)) this.comments.set(p, comment);
    return p;
  }

  /** Every packet placed in [fromSec, toSec) (seconds since the base). */
  addRange(fromSec: number, toSec: number): void {
    const end = this.placement.lowerBound(toSec);
    for (let p = this.placement.lowerBound(fromSec); p < end; p++) this.choose(p);
  }

  /** The chosen packets in merged time order; a pick's `capture` is its order slot (an index into placement.slots()). */
  picks(): Iterable<Pick> {
    const { chosen, comments, placed } = this;
    return {
      *[Symbol.iterator]() {
        for (let p = 0; p < chosen.length; p++) {
          if (!chosen[p]) continue;
          const comment = comments.get(p);
          yield comment ? { capture: placed.slotAt(p), row: placed.rowAt(p), comment } : { capture: placed.slotAt(p), row: placed.rowAt(p) };
        }
      },
    };
  }

  /** The frame numbers (from 1) that chosen positions get in the export; positions not chosen are left out. */
  framesOf(positions: readonly number[]): Map<number, number> {
    const wanted = new Set(positions.filter((p) => p >= 0 && this.chosen[p]));
    const frames = new Map<number, number>();
    for (let p = 0, frame = 0; p < this.chosen.length && frames.size < wanted.size; p++) {
      if (!this.chosen[p]) continue;
      frame++;
      if (wanted.has(p)) frames.set(p, frame);
    }
    return frames;
  }

  private choose(p: number): void {
    if (this.chosen[p]) return;
    this.chosen[p] = 1;
    this.count++;
  }
}
