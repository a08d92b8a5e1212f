/**
 * A shared incident view: read from the address bar on load (validated: its notes shown, its
 * captures asked for by name, or the link refused in words), applied once the opened files'
 * fingerprints match; and written by Copy link from what the page shows now.
 */
import { readViewFragment, viewToFragment, type SharedView } from '../../share/view-link.ts';
import type { KnownCapture } from '../marks/mark-set.ts';
import type { ModelContext } from './context.ts';
import type { SharedViewState } from './viewer-state.ts';

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
