/**
 * The list's filter: which merged positions a tcpdump expression matches, over all open
 * captures. The matches are positions, so a new order (a capture opened or closed, a clock
 * offset) means the filter is applied again.
 */
import { compileFilter, FilterSyntaxError } from '../filter/compile.ts';
import { checkLinkTypes } from '../filter/link-support.ts';
import { matchingRows } from '../filter/match.ts';
import { View } from '../store/view.ts';
import type { Entry } from './capture-set.ts';
import type { FilterOutcome } from './contract.ts';
import type { Placement } from './placement.ts';

export class Filtering {
  private filtered: { text: string; matches: Uint32Array } | null = null;
  private generation = 0;

  constructor(private readonly placement: Placement<Entry>) {}

  /** The text applied, or null when none is. */
  get text(): string | null {
    return this.filtered?.text ?? null;
  }

  /** Matching positions, ascending; null: no filter. */
  get matches(): Uint32Array | null {
    return this.filtered?.matches ?? null;
  }

  /** What the list shows: every packet in time order, or the matches. */
  view(): View {
    return new View(this.placement.length, this.matches);
  }

  /** Forgets the filter (the captures it was computed for changed). */
  clear(): void {
    this.filtered = null;
    this.generation++;
  }

  /** Applies a filter (empty text: none). A newer call cancels one still running: it then returns null. */
  async apply(text: string): Promise<FilterOutcome | null> {
    const generation = ++this.generation;
    const total = this.placement.length;
    if (text.trim() === '') {
      this.filtered = null;
      return { text, matched: total, total };
    }
    const slots = this.placement.slots();
    let compiled: ReturnType<typeof compileFilter>;
    try {
      compiled = compileFilter(text);
      for (const { capture } of slots)
        checkLinkTypes(
          compiled,
          capture.interfaces.map((i) => i.linkType),
          capture.name,
        );
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      return { text, matched: 0, total, error: { message: error.message, position: error.position } };
    }
    const position = this.placement.positions();
    // A byte per time-order position, read back in order: no sort of millions of positions.
    const matched = new Uint8Array(total);
    let count = 0;
    for (const { id, capture, source } of slots) {
      const rows = await matchingRows(capture, source, compiled, { cancelled: () => generation !== this.generation });
      if (generation !== this.generation) return null;
      for (let i = 0; i < rows.length; i++) matched[position(id, rows[i])] = 1;
      count += rows.length;
    }
    const matches = new Uint32Array(count);
    for (let p = 0, k = 0; p < matched.length; p++) if (matched[p]) matches[k++] = p;
    this.filtered = { text, matches };
    return { text, matched: count, total };
  }

  /** The same filter again over a new order; none stays none. */
  async reapply(): Promise<void> {
    if (this.filtered) await this.apply(this.filtered.text);
  }
}
