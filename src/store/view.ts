import { lowerBound } from './search.ts';

/**
 * What the list shows: every packet in time order, or only those a filter matched. Rows of
 * the list are indices into the view; each names a position of the merged order.
 */
export class View {
  constructor(
    private readonly total: number,
    /** Matching positions, ascending; null: no filter. */
    readonly matches: Uint32Array | null,
  ) {}

  get length(): number {
    return this.matches ? this.matches.length : this.total;
  }

  positionAt(index: number): number {
    return this.matches ? this.matches[index] : index;
  }

  /** The first index whose position is >= p. */
  indexOf(p: number): number {
    return this.matches ? lowerBound(this.matches, p) : Math.min(p, this.total);
  }

  /** Positions of list rows [first, first + count). */
  slice(first: number, count: number): ArrayLike<number> {
    const end = Math.min(this.length, first + count);
    if (this.matches) return this.matches.subarray(Math.max(0, first), end);
    return Array.from({ length: Math.max(0, end - first) }, (_, i) => first + i);
  }
}
