/**
 * The marks of the open captures: restored from the browser's storage when a capture is
 * opened (matched by content, not name), saved shortly after every change, drawn on the
 * timeline, placed again when a clock moves. Placing marks is one worker call however many.
 */
import type { OpenedCapture, PlacedRows } from '../../session/contract.ts';
import type { SharedView } from '../../share/view-link.ts';
import { validateSavedMarks } from '../../share/validate-view.ts';
import { sentence } from '../../share/view-json.ts';
import { added, byTime, kept, noted, RANGE_COLORS, removed, savedSets, toggled, type KnownCapture, type UiMark, type UiRange } from '../marks/mark-set.ts';
import type { ModelContext } from './context.ts';
import type { MarksState } from './viewer-state.ts';

/** Saves wait this long after a change, so typing a note does not write 100,000 marks per key. */
const SAVE_DELAY_MS = 300;

type Wanted = { capture: number; frame: number; note: string; fromView?: boolean }[];

export class MarksFlow {
  /** Fingerprints by capture id, once known; nothing is saved before they are. */
  readonly known = new Map<number, KnownCapture>();
  private ready = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private endSave: (() => void) | null = null;

  constructor(private readonly ctx: ModelContext) {}

  private get state(): MarksState {
    return this.ctx.store.getSnapshot().marks;
  }

  private set(change: Partial<MarksState>): void {
    const edited = change.marks !== undefined || change.ranges !== undefined;
    this.ctx.store.update((s) => ({ marks: { ...s.marks, ...change, ...(edited && this.ready ? { saved: false } : {}) }, ...said(change) }));
    if (!edited) return;
    this.draw();
    this.scheduleSave();
  }

  /** Puts the marks and ranges on the timeline. */
  draw(): void {
    const { marks, ranges } = this.state;
    this.ctx.timeline?.setMarks(
      marks.map((m) => m.timeSec),
      ranges,
    );
  }

  /** Marks for (capture, frame) pairs, placed in one call; pairs naming no packet are counted, not kept. */
  private async place(wanted: Wanted): Promise<{ placed: UiMark[]; missing: number }> {
    const captures = Uint32Array.from(wanted, (w) => w.capture);
    const rows = Uint32Array.from(wanted, (w) => Math.max(0, Math.min(0xffffffff, w.frame - 1)));
    const at = await this.ctx.engine.placeRows(captures, rows);
    const placed = wanted.flatMap((w, i) => this.markAt(w.capture, w.frame, w.note, at, i, w.fromView));
    return { placed, missing: wanted.length - placed.length };
  }

  /** The mark of entry `i` of placed rows, or none when it names no open packet. */
  private markAt(capture: number, frame: number, note: string, at: PlacedRows, i: number, fromView?: boolean): UiMark[] {
    const k = this.known.get(capture);
    if (at.positions[i] < 0 || !k) return [];
    return [
      {
        capture,
        captureName: k.name,
        fingerprint: k.fingerprint,
        frame,
        note,
        timeSec: at.timesSec[i],
        position: at.positions[i],
        time: { sec: at.tsSec[i], ns: at.tsNs[i] },
        ...(fromView ? { fromView: true } : {}),
      },
    ];
  }

  /** List rows [from, to) and the same frames of every open copy of their files, placed in one call. */
  private async run(from: number, to: number): Promise<UiMark[]> {
    const run = await this.ctx.engine.markRun(from, to, { copies: true });
    return Array.from(run.rows, (row, i) => this.markAt(run.captures[i], row + 1, '', run, i)).flat();
  }

  /** After an open: fingerprint each new capture and bring back what was marked on it. */
  async restore(opened: OpenedCapture[], baseSec: number): Promise<void> {
    const notices: string[] = [];
    const problems: string[] = [];
    for (const c of opened) {
      if (c.id < 0) continue;
      const fingerprint = await this.ctx.engine.fingerprint(c.id);
      const copyOf = [...this.known].find(([id, k]) => id !== c.id && k.fingerprint === fingerprint);
      this.known.set(c.id, { name: c.name, fingerprint });
      if (copyOf) {
        // A second copy of an open file shares its marks (the live ones, not the last save).
        const { placed } = await this.place(
          this.state.marks.filter((m) => m.capture === copyOf[0]).map((m) => ({ capture: c.id, frame: m.frame, note: m.note })),
        );
        this.set({
          marks: added(
            this.state.marks.filter((m) => m.capture !== c.id),
            placed,
          ),
        });
        notices.push(`${c.name} is open twice; both copies share one set of marks.`);
        continue;
      }
      const loaded = await this.ctx.platform.loadMarks(fingerprint);
      if (!loaded.ok) {
        problems.push(loaded.problem);
        continue;
      }
      if (loaded.value === undefined) {
        const underName = await this.ctx.platform.fingerprintForName(c.name);
        if (underName && underName !== fingerprint)
          notices.push(`Marks saved for another file named ${c.name} (different size or content) are not applied to this one.`);
        continue;
      }
      // Read back through the same validator as a link: storage is outside this page's run.
      const checked = validateSavedMarks(loaded.value);
      if (!checked.ok) {
        notices.push(`The marks saved in this browser for ${c.name} could not be read: ${checked.error}.`);
        continue;
      }
      const { saved } = checked;
      notices.push(...checked.notices.map(sentence));
      const { placed, missing } = await this.place(saved.marks.map((m) => ({ capture: c.id, frame: m.frame, note: m.note })));
      const ranges = saved.ranges.map((r, i) => ({
        fromSec: r.from - baseSec,
        toSec: r.to - baseSec,
        label: r.label,
        note: r.note,
        color: r.color ?? RANGE_COLORS[i % RANGE_COLORS.length],
      }));
      this.set({
        marks: added(
          this.state.marks.filter((m) => m.capture !== c.id),
          placed,
        ),
        ranges: [...this.state.ranges, ...ranges],
      });
      const savedAt = saved.savedAt && !Number.isNaN(Date.parse(saved.savedAt)) ? ` (saved ${new Date(saved.savedAt).toLocaleString()})` : '';
      notices.push(`${plural(placed.length, 'mark')} and ${plural(saved.ranges.length, 'range')} restored for ${c.name}${savedAt}.`);
      if (missing) notices.push(`${plural(missing, 'saved mark')} named frames this file does not have and were left out.`);
    }
    this.ready = true;
    this.set({ notice: notices.join(' ') || null, ...(problems.length ? { storageProblem: problems[0] } : {}) });
  }

  /** After a clock offset: every mark at its packet's new time and place (their frames stay). */
  async replace(): Promise<void> {
    const { placed } = await this.place(this.state.marks.map((m) => ({ capture: m.capture, frame: m.frame, note: m.note, fromView: m.fromView })));
    this.ctx.store.update((s) => ({ marks: { ...s.marks, marks: placed.sort(byTime) } }));
    this.draw();
  }

  /** The workspace's base second moved (its first capture closed): ranges keep their wall-clock times. */
  rebase(deltaSec: number): void {
    if (deltaSec === 0 || this.state.ranges.length === 0) return;
    this.ctx.store.update((s) => ({
      marks: { ...s.marks, ranges: s.marks.ranges.map((r) => ({ ...r, fromSec: r.fromSec + deltaSec, toSec: r.toSec + deltaSec })) },
    }));
    this.draw();
  }

  /** Everything closed: no marks shown (those saved stay saved). */
  clear(): void {
    this.flushTimer();
    this.known.clear();
    this.ready = false;
    this.ctx.store.update({ marks: { marks: [], ranges: [], notice: null, storageProblem: null, saved: true } });
    this.draw();
  }

  /** One capture closed: its marks leave the view (they stay saved). */
  forget(capture: number): void {
    this.known.delete(capture);
    this.ctx.store.update((s) => ({ marks: { ...s.marks, marks: s.marks.marks.filter((m) => m.capture !== capture) } }));
    this.draw();
  }

  /** Ctrl+M: marks the packet of list row `index` (in every open copy of its file), or unmarks it. */
  async toggle(index: number): Promise<void> {
    this.set({ marks: toggled(this.state.marks, await this.run(index, index + 1)) });
  }

  /** Marks every packet of list rows [from, to) (a Shift+click run); those already marked stay. */
  async addRun(from: number, to: number): Promise<void> {
    this.set({ marks: added(this.state.marks, await this.run(from, to)) });
  }

  /**
   * A shared view's marks and ranges (already validated), its capture indices mapped to open
   * captures: added to the user's own, as the view's until kept. Says what could not be placed.
   */
  async applyView(view: SharedView, captureOf: (c: number) => number, baseSec: number, notices: string[]): Promise<void> {
    const { placed, missing } = await this.place(view.marks.map((m) => ({ capture: captureOf(m.c), frame: m.frame, note: m.note, fromView: true })));
    const ranges = this.state.ranges;
    const more = view.ranges.map((r, i) => ({
      fromSec: r.from - baseSec,
      toSec: r.to - baseSec,
      label: r.label,
      note: r.note,
      color: r.color ?? RANGE_COLORS[(ranges.length + i) % RANGE_COLORS.length],
      fromView: true,
    }));
    const lines = [...notices];
    if (missing)
      lines.push(
        `${plural(missing, 'of the view’s marks', 'of the view’s marks')} named frames the open captures do not have and ${missing === 1 ? 'was' : 'were'} left out.`,
      );
    this.set({ marks: added(this.state.marks, placed), ranges: [...ranges, ...more], notice: lines.join(' ') || null });
  }

  keepViewMarks(): void {
    this.set({ marks: kept(this.state.marks), ranges: kept(this.state.ranges) });
  }

  /** The mark after (or before) a time, wrapping around. */
  step(fromSec: number, forward: boolean): UiMark | null {
    const sorted = [...this.state.marks].sort(byTime);
    if (sorted.length === 0) return null;
    if (forward) return sorted.find((m) => m.timeSec > fromSec) ?? sorted[0];
    return sorted.reverse().find((m) => m.timeSec < fromSec) ?? sorted[0];
  }

  /** The marks as export picks, their notes as packet comments. */
  picks(): { capture: number; row: number; comment?: string }[] {
    return this.state.marks.map((m) => ({ capture: m.capture, row: m.frame - 1, ...(m.note ? { comment: m.note } : {}) }));
  }

  setNote(mark: UiMark, note: string): void {
    this.set({ marks: noted(this.state.marks, mark, note) });
  }

  remove(mark: UiMark): void {
    this.set({ marks: removed(this.state.marks, mark) });
  }

  addRange(fromSec: number, toSec: number, label: string): void {
    const ranges = this.state.ranges;
    this.set({
      ranges: [...ranges, { fromSec, toSec, label: label || `range ${ranges.length + 1}`, note: '', color: RANGE_COLORS[ranges.length % RANGE_COLORS.length] }],
    });
  }

  editRange(range: UiRange, change: Partial<Pick<UiRange, 'note' | 'color'>>): void {
    this.set({ ranges: this.state.ranges.map((r) => (r === range ? { ...r, ...change } : r)) });
  }

  removeRange(range: UiRange): void {
    this.set({ ranges: this.state.ranges.filter((r) => r !== range) });
  }

  // Saved shortly after every change: per file content, the user's own marks; ranges under the first capture's.
  private scheduleSave(): void {
    if (!this.ready) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.endSave ??= this.ctx.activity.begin();
    this.saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
  }

  private async save(): Promise<void> {
    this.saveTimer = null;
    const { marks, ranges } = this.state;
    const baseSec = this.ctx.store.getSnapshot().overview?.baseSec ?? 0;
    let storageProblem: string | null = null;
    for (const [fingerprint, saved] of savedSets(marks, ranges, this.known, baseSec, new Date().toISOString())) {
      const outcome = await this.ctx.platform.saveMarks(fingerprint, saved);
      if (outcome.ok) continue;
      storageProblem = outcome.problem;
      break;
    }
    // What is shown now is saved, unless it changed meanwhile (another save is then on its way).
    const current = this.state.marks === marks && this.state.ranges === ranges;
    this.ctx.store.update((s) => ({ marks: { ...s.marks, storageProblem, ...(current ? { saved: true } : {}) }, ...said({ storageProblem }) }));
    if (!this.saveTimer) this.flushTimer();
  }

  private flushTimer(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.endSave?.();
    this.endSave = null;
  }
}

/** Something to say about the marks (restored, cut, not kept): the Marks panel opens to say it. */
function said(change: Partial<MarksState>): { panel?: 'marks' } {
  return change.notice || change.storageProblem ? { panel: 'marks' } : {};
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
