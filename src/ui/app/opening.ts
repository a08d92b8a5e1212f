/**
 * Opening files as a user expects: Open replaces what is open, Add merges into it. A file
 * given while another is read is never dropped: the demo's read is cancelled for it (the
 * demo is only a sample); the user's own read finishes first and the files given meanwhile
 * open after it, in order, each as it was given (the page says which, and offers to open
 * them at once instead).
 */
import type { OpenedCapture, Overview } from '../../session/contract.ts';
import type { ModelContext } from './context.ts';
import { activeFilter, type OpenHow, type StripEntry } from './viewer-state.ts';

/**
 * While reading, the page shows what was read at most this often (the list and the timeline
 * ask the worker again each time, which costs the ingest a little); progress itself at every report.
 */
const SHOW_READ_MS = 1000;

interface Intent {
  files: File[];
  how: OpenHow;
  demo: boolean;
  resolve: () => void;
}

/** What the rest of the model does around a read. */
export interface OpeningHooks {
  /** Asks the workspace for its counts and extent again. */
  refresh(): Promise<void>;
  /** Shows what is open (a progress report's overview, or a close's). */
  show(overview: Overview): void;
  /** Every capture closed: nothing of them may stay on the page. */
  reset(): void;
  /** Files read (`filter` was in force before): their marks, a view they bring, the filter again, findings. */
  opened(results: OpenedCapture[], filter: string): Promise<void>;
}

export class Opening {
  private readonly queue: Intent[] = [];
  private pumping = false;
  /** The read in progress was cancelled for what waits: its partial result is not shown. */
  private superseded = false;
  /** The user gave files: a first visit's demo, still downloading, is not opened then. */
  private userGaveFiles = false;
  /** The answer to the read's next progress report: true stops it (what was read is kept). */
  private stop = false;

  constructor(
    private readonly ctx: ModelContext,
    private readonly hooks: OpeningHooks,
  ) {}

  /** Resolves when these files have been read (or could not be). */
  open(files: File[], how: OpenHow): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    this.userGaveFiles = true;
    return this.request(files, how, false);
  }

  async openDemo(firstVisit: boolean): Promise<void> {
    let file: File;
    try {
      file = await this.ctx.activity.track(this.ctx.platform.fetchDemo());
    } catch (error) {
      this.ctx.store.update({ problem: `The demo capture could not be loaded (${(error as Error).message}).` });
      return;
    }
    // Something given while the demo downloaded comes first: the demo is only a sample.
    if (firstVisit && this.userGaveFiles) return;
    await this.request([file], 'replace', true);
  }

  /** Cancel in the progress bar: the read stops at its next report, keeping what was read; what waits opens after. */
  cancel(): void {
    if (this.ctx.store.getSnapshot().reading) this.stop = true;
  }

  /** Cancels the read in progress so that what waits opens now (a replace closes what was read). */
  openWaitingNow(): void {
    if (!this.queue.length || !this.ctx.store.getSnapshot().reading) return;
    this.superseded = this.queue[0].how === 'replace';
    this.stop = true;
  }

  /** The files waiting at `index` are added instead of replacing, or the other way round. */
  setWaitingHow(index: number, how: OpenHow): void {
    if (!this.queue[index]) return;
    this.queue[index].how = how;
    this.publishWaiting();
  }

  /** Closes every capture: the page is as on a visit with nothing open (saved marks stay saved). */
  async closeAll(): Promise<void> {
    await this.ctx.engine.closeAll();
    this.hooks.reset();
    await this.hooks.refresh();
  }

  /** Closes one capture (not while a read runs: the × is disabled then); the others keep their ids. */
  async close(entry: StripEntry): Promise<void> {
    const overview = await this.ctx.engine.closeCapture(entry.id);
    this.ctx.store.update((s) => ({ opened: s.opened.filter((o) => o !== entry) }));
    this.hooks.show(overview);
  }

  private request(files: File[], how: OpenHow, demo: boolean): Promise<void> {
    return new Promise((resolve) => {
      const reading = this.ctx.store.getSnapshot().reading;
      // The demo's read is cancelled for the user's files, which take its place.
      if (reading?.demo && !demo) {
        this.queue.unshift({ files, how: 'replace', demo, resolve });
        this.superseded = true;
        this.stop = true;
      } else this.queue.push({ files, how, demo, resolve });
      this.publishWaiting();
      if (!this.pumping) void this.pump();
    });
  }

  private publishWaiting(): void {
    this.ctx.store.update({ waiting: this.queue.map((i) => ({ names: i.files.map((f) => f.name), how: i.how })) });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    const done = this.ctx.activity.begin();
    try {
      while (this.queue.length) {
        const intent = this.queue.shift()!;
        this.publishWaiting();
        try {
          await this.read(intent);
        } finally {
          intent.resolve();
        }
      }
    } finally {
      this.pumping = false;
      done();
    }
  }

  private async read({ files, how, demo }: Intent): Promise<void> {
    const { store, engine } = this.ctx;
    const before = store.getSnapshot();
    const filter = activeFilter(before);
    // The demo is never merged with anything: Add replaces it too.
    if ((how === 'replace' || before.opened.every((o) => o.demo)) && before.opened.length) await this.closeAll();
    this.superseded = false;
    this.stop = false;
    store.update({ reading: { demo, names: files.map((f) => f.name) }, progress: null });
    performance.mark('ingest-start');
    let shownAt = -Infinity;
    try {
      const results = await engine.open(files, (p) => {
        // Progress comes over its own channel and may arrive after open() has returned.
        if (!store.getSnapshot().reading) return true;
        store.update({ progress: p });
        if (performance.now() - shownAt >= SHOW_READ_MS) {
          shownAt = performance.now();
          this.hooks.show(p.overview);
        }
        return this.stop;
      });
      performance.measure('ingest', 'ingest-start');
      // Cancelled for what waits, which replaces it: what it read goes at once, unseen.
      if (this.superseded) {
        await this.closeAll();
        return;
      }
      // A file read again after a Cancel takes the place (and id) of its partial copy.
      store.update((s) => ({
        opened: [...s.opened.filter((o) => !results.some((r) => r.replaced && r.id === o.id)), ...results.map((r) => (demo ? { ...r, demo: true } : r))],
      }));
      await this.hooks.refresh();
      await this.hooks.opened(results, filter);
    } catch (error) {
      // Whatever went wrong, said; what was open stays open, and the next files still open.
      store.update({ problem: `Opening ${files.map((f) => f.name).join(', ')} did not finish: ${(error as Error).message}` });
    } finally {
      await this.hooks.refresh();
      store.update({ reading: null, progress: null });
    }
  }
}
