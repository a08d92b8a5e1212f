/**
 * A shared incident view: read from the address bar on load (validated: its notes shown, its
 * captures asked for by name, or the link refused in words), applied once the opened files'
 * fingerprints match; and written by Copy link from what the page shows now.
 */
import { readViewFragment, viewToFragment, type SharedView } from '../../share/view-link.ts';
import type { KnownCapture } from '../marks/mark-set.ts';
import type { Viewport } from '../timeline/viewport.ts';
import type { ModelContext } from './context.ts';
import { activeFilter, type SharedViewState, type ViewerState } from './viewer-state.ts';

export class SharedViews {
  constructor(private readonly ctx: ModelContext) {}

  private set(change: Partial<SharedViewState>): void {
    this.ctx.store.update((s) => ({ shared: { ...s.shared, ...change } }));
  }

  get pending(): SharedView | null {
    return this.ctx.store.getSnapshot().shared.pending;
  }

  /** The view in the address bar, if any: pending until its captures are open. */
  async read(): Promise<void> {
    try {
      const read = await readViewFragment(this.ctx.platform.readHash());
      if (!read) return;
      if ('error' in read) this.set({ refused: read.error });
      else this.set({ pending: read.view, notices: read.notices });
    } catch (error) {
      this.set({ refused: `This link's view could not be read (${(error as Error).message}).` });
    }
  }

  /** Capture ids for the pending view's captures, by fingerprint; null (with the reason said) until all are open. */
  match(open: Map<number, KnownCapture>): number[] | null {
    const view = this.pending;
    if (!view) return null;
    const ids: number[] = [];
    const missing: string[] = [];
    for (const c of view.captures) {
      const found = [...open].find(([, k]) => k.fingerprint === c.fingerprint);
      if (found) ids.push(found[0]);
      else if ([...open.values()].some((k) => k.name === c.name)) missing.push(`${c.name} is open, but its content is not the one this view was made from`);
      else missing.push(`${c.name} is not open yet`);
    }
    this.set({ problem: missing.length ? missing.join('; ') : null });
    return missing.length ? null : ids;
  }

  done(): void {
    this.set({ pending: null, problem: null, notices: [] });
  }

  dismissRefusal(): void {
    this.set({ refused: null });
  }

  /** Puts the view in the address bar and returns the link. */
  async write(view: SharedView): Promise<string> {
    return this.ctx.platform.writeHash(await viewToFragment(view));
  }
}

/** What the page shows now, as a view: the open captures by name and fingerprint, their offsets, window, filter, marks, ranges, selection. */
export function viewOf(s: ViewerState, known: Map<number, KnownCapture>, viewport: Viewport | null): SharedView {
  const open = [...known].sort((a, b) => a[0] - b[0]);
  const index = new Map(open.map(([id], i) => [id, i]));
  const base = s.overview?.baseSec ?? 0;
  const packet = s.selected?.packet;
  const filter = activeFilter(s);
  return {
    v: 1,
    captures: open.map(([id, k]) => ({ name: k.name, fingerprint: k.fingerprint, offsetSec: s.offsets[id] ?? 0 })),
    ...(viewport ? { window: { from: base + viewport.fromSec, to: base + viewport.toSec } } : {}),
    ...(filter ? { filter } : {}),
    marks: s.marks.marks.map((m) => ({ c: index.get(m.capture)!, frame: m.frame, note: m.note })),
    ranges: s.marks.ranges.map((r) => ({ from: base + r.fromSec, to: base + r.toSec, label: r.label, note: r.note, color: r.color })),
    ...(packet ? { selected: { c: index.get(packet.capture)!, frame: packet.frame } } : {}),
  };
}
