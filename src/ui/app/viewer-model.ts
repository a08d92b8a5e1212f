/**
 * The viewer outside React: its state (one immutable snapshot, see viewer-state.ts) and its
 * flows — opening, selecting, filtering, marks, clock offsets, shared views, exports, keys.
 * Components render the snapshot and call these methods; the timeline's controller is told
 * what to draw. Node runs it against the real Workspace (test/viewer-model.test.ts).
 */
import { PROTOCOL_CLASS_NAMES } from '../../decode/protocol-class.ts';
import type { OpenedCapture, Overview, PlacedFinding } from '../../session/contract.ts';
import type { SharedView } from '../../share/view-link.ts';
import type { Theme } from '../timeline/draw.ts';
import type { TimelineCallbacks, TimelineSource } from '../timeline/timeline-controller.ts';
import type { Viewport } from '../timeline/viewport.ts';
import { Activity } from './activity.ts';
import type { ModelContext, TimelinePort } from './context.ts';
import { Conversations } from './conversations.ts';
import type { ViewerEngine } from './engine-port.ts';
import { Exports } from './exports.ts';
import { pressKey, type KeyActions, type KeyPress } from './keys.ts';
import { MarksFlow } from './marks.ts';
import { Opening } from './opening.ts';
import type { Platform } from './platform.ts';
import { Selection } from './selection.ts';
import { SharedViews, viewOf } from './shared-view.ts';
import { Store } from './store.ts';
import { activeFilter, detailsShown, initialState, type OpenHow, type PanelName, type StripEntry, type ViewerState } from './viewer-state.ts';

/** The longest stretch of a finding the timeline zooms to on a click. */
const FINDING_VIEW_SEC = 5;
/** A Shift+click run marks at most this many packets (the most a view holds). */
const MAX_RUN = 100_000;
const HISTORY_KEY = 'pt-filter-history';
const HISTORY_LENGTH = 50;

export interface ViewerModelOptions {
  engine: ViewerEngine;
  platform: Platform;
  /** Work in flight (the idle signal); the browser's engine adapter counts its calls in the same one. */
  activity?: Activity;
}

export class ViewerModel implements KeyActions {
  readonly store: Store<ViewerState>;
  readonly activity: Activity;
  readonly marks: MarksFlow;
  readonly shared: SharedViews;
  readonly exports: Exports;
  readonly selection: Selection;
  readonly conversations: Conversations;
  private readonly opening: Opening;
  private readonly ctx: ModelContext;
  private readonly engine: ViewerEngine;
  private readonly platform: Platform;
  private port: TimelinePort | null = null;
  private colors: Theme;
  /** A zoom asked for before the timeline was on the page. */
  private pendingZoom: Viewport | null = null;
  /** Counts changes of the open captures and their clocks: answers about an older state are dropped. */
  private analysisGeneration = 0;

  constructor({ engine, platform, activity = new Activity() }: ViewerModelOptions) {
    this.engine = engine;
    this.platform = platform;
    this.activity = activity;
    const savedTheme = platform.readSetting('pt-theme');
    const theme = savedTheme === 'light' || savedTheme === 'dark' ? savedTheme : platform.prefersDark() ? 'dark' : 'light';
    this.store = new Store(initialState(theme, readHistory(platform)));
    this.colors = platform.applyTheme(theme);
    const model = this;
    this.ctx = {
      store: this.store,
      engine,
      platform,
      activity,
      get timeline() {
        return model.port;
      },
    };
    this.marks = new MarksFlow(this.ctx);
    this.shared = new SharedViews(this.ctx);
    this.exports = new Exports(this.ctx, this.marks);
    this.selection = new Selection(this.ctx);
    this.conversations = new Conversations(this.ctx, (text) => this.applyFilter(text));
    this.opening = new Opening(this.ctx, {
      refresh: () => this.refresh(),
      show: (o) => this.show(o),
      reset: () => this.reset(),
      opened: (results, filter) => this.opened(results, filter),
    });
  }

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  /** The list's rows, fetched by the list itself as it scrolls. */
  readonly fetchRows = (first: number, count: number, listStart: number) => this.engine.listRows(first, count, listStart);
  readonly getSnapshot = () => this.store.getSnapshot();

  private get state(): ViewerState {
    return this.store.getSnapshot();
  }

  private update(change: Partial<ViewerState> | ((s: ViewerState) => Partial<ViewerState>)): void {
    this.store.update(change);
  }

  /** Once, when the page loads: the view in the address bar, and on a first visit the demo. */
  async start(): Promise<void> {
    const firstVisit = !this.platform.readSetting('pt-visited') && !this.platform.readHash().startsWith('#view=');
    if (firstVisit) this.platform.writeSetting('pt-visited', '1');
    await Promise.all([this.activity.track(this.shared.read()), firstVisit ? this.opening.openDemo(true) : null]);
  }

  // ---- The timeline: told what to draw; its clicks and windows come back here.

  attachTimeline(port: TimelinePort | null): void {
    this.port = port;
    if (!port) return;
    const s = this.state;
    port.setTheme(this.colors);
    port.setMode(s.mode);
    this.pushOverview();
    port.setOverlays(s.overlays);
    this.marks.draw();
    port.setWindow(s.window?.span ?? null);
    if (s.selected?.packet) port.setSelected(s.selected.packet.timeSec, false);
    if (this.pendingZoom) this.zoomTo(this.pendingZoom);
  }

  /** What the timeline's controller asks the worker, and the colours it starts with. */
  get timelineSource(): TimelineSource {
    return this.engine;
  }

  get timelineColors(): Theme {
    return this.colors;
  }

  readonly timelineCallbacks: TimelineCallbacks = {
    onPick: (timeSec) => void this.pick(timeSec),
    onWindow: (span) => void this.setWindow(span),
  };

  private pushOverview(): void {
    const o = this.state.overview;
    if (!this.port || !o || o.packets === 0) return;
    const classes = o.classCounts.flatMap((n, cls) => (n > 0 ? [{ cls, name: PROTOCOL_CLASS_NAMES[cls] ?? 'other' }] : []));
    this.port.setOverview({ fromSec: o.fromSec, toSec: o.toSec }, classes, PROTOCOL_CLASS_NAMES, o.baseSec);
  }

  zoomTo(span: Viewport): void {
    this.pendingZoom = this.port ? null : span;
    this.port?.zoomTo(span);
  }

  timelineKey(key: string): boolean {
    return this.port?.key(key) ?? false;
  }

  // ---- Opening and closing.

  /** Open captures… and a plain drop: `replace`; Add captures… and the drop target "add to this view": `add`. */
  open(files: File[], how: OpenHow = 'replace'): Promise<void> {
    return this.opening.open(files, how);
  }

  /** The demo capture, alone. */
  openDemo(): Promise<void> {
    return this.opening.openDemo(false);
  }

  openWaitingNow(): void {
    this.opening.openWaitingNow();
  }

  setWaitingHow(index: number, how: OpenHow): void {
    this.opening.setWaitingHow(index, how);
  }

  closeAll(): Promise<void> {
    return this.opening.closeAll();
  }

  /** Cancel in the progress bar: the read stops, what was read is kept. */
  cancelRead(): void {
    this.opening.cancel();
  }

  /** The × of a strip line: closes that capture (the last one: the empty page), or dismisses a file that could not be opened. */
  async close(entry: StripEntry): Promise<void> {
    if (entry.id < 0) {
      this.update((s) => ({ opened: s.opened.filter((o) => o !== entry) }));
      return;
    }
    if (this.state.opened.every((o) => o.id < 0 || o.id === entry.id)) return this.closeAll();
    const filter = activeFilter(this.state);
    this.selection.forget();
    this.marks.forget(entry.id);
    await this.opening.close(entry);
    // The list's rows, the window's and the filter's counts are of the captures before the close.
    if (this.state.window) await this.setWindow(this.state.window.span);
    if (filter) await this.applyFilter(filter);
    this.analyse();
    this.conversations.stale();
  }

  /** Asks the workspace for its counts and extent again. */
  async refresh(): Promise<void> {
    this.show(await this.engine.overview());
  }

  /** What is open now: counts and extent for the strip and the timeline; the list asks for its rows again. */
  private show(overview: Overview): void {
    const before = this.state.overview;
    // The first capture closed: the base second moved, ranges keep their wall-clock times.
    if (before?.packets && overview.packets && before.baseSec !== overview.baseSec) this.marks.rebase(before.baseSec - overview.baseSec);
    this.update((s) => ({ overview, version: s.version + 1 }));
    this.pushOverview();
  }

  /** Nothing of the closed captures stays: selection, findings, filter outcome, window, marks shown. */
  private reset(): void {
    this.analysisGeneration++;
    this.selection.forget();
    this.marks.clear();
    this.update((s) => ({
      opened: [],
      offsets: [],
      findings: null,
      overlays: [],
      filter: null,
      window: null,
      conversations: { ...s.conversations, table: null },
    }));
    this.port?.setOverlays([]);
    this.port?.setWindow(null);
  }

  /** After a read: the marks saved for these files, a view they bring or a link waits for, the filter again, findings. */
  private async opened(results: OpenedCapture[], filter: string): Promise<void> {
    await this.marks.restore(results, this.state.overview?.baseSec ?? 0);
    const bundle = results.find((r) => r.bundleView);
    const refused = results.find((r) => r.bundleError);
    if (refused) this.update({ problem: `${refused.bundleError} The view in ${refused.name} was not applied; its packets are open.` });
    const view = bundle ? await this.applyView(bundle.bundleView!, () => bundle.id, bundle.bundleNotices ?? []) : await this.applyPendingView();
    // The filter in force applies to what was added (the workspace drops it on an open).
    if (!view?.filter && filter) await this.applyFilter(filter);
    this.analyse();
    this.conversations.stale();
  }

  /** Findings and overlay lanes, from the worker, while the user already looks around. */
  private analyse(): void {
    const generation = ++this.analysisGeneration;
    this.update({ findings: null });
    this.engine
      .findings()
      .then(async (findings) => {
        const overlays = await this.engine.overlays();
        if (generation !== this.analysisGeneration) return;
        this.update({ findings, overlays });
        this.port?.setOverlays(overlays);
      })
      .catch((error) => generation === this.analysisGeneration && this.update({ problem: `Findings could not be computed: ${(error as Error).message}` }));
  }

  // ---- The shared view (a link's, or an incident bundle's).

  private async applyPendingView(): Promise<SharedView | null> {
    const view = this.shared.pending;
    const ids = view && this.shared.match(this.marks.known);
    if (!view || !ids) return null;
    await this.applyView(view, (c) => ids[c] ?? -1, this.state.shared.notices);
    this.shared.done();
    return view;
  }

  /** A view on the open captures (`captureOf` maps its capture indices to ids): offsets, filter, marks, ranges, window, selection. */
  private async applyView(view: SharedView, captureOf: (c: number) => number, notices: string[]): Promise<SharedView> {
    for (const [i, c] of view.captures.entries()) if (c.offsetSec) this.update({ offsets: await this.engine.setClockOffset(captureOf(i), c.offsetSec) });
    await this.refresh();
    const base = this.state.overview?.baseSec ?? 0;
    if (view.filter) {
      this.update({ filterText: view.filter });
      await this.applyFilter(view.filter);
    }
    await this.marks.applyView(view, captureOf, base, notices);
    if (view.marks.length || view.ranges.length) this.showPanel('marks');
    if (view.window) this.zoomTo({ fromSec: view.window.from - base, toSec: view.window.to - base });
    if (view.selected) await this.selection.reselect(captureOf(view.selected.c), view.selected.frame);
    return view;
  }

  /** Copy link: this view (captures by name and fingerprint, window, filter, marks, selection) in the address bar and the clipboard. */
  async copyLink(): Promise<void> {
    try {
      const link = await this.shared.write(viewOf(this.state, this.marks.known, this.port?.currentViewport ?? null));
      this.update({ link });
      this.platform.copyText(link);
    } catch (error) {
      this.failed('Copy link', error);
    }
  }

  closeLink(): void {
    this.update({ link: null });
  }

  // ---- Selection.

  async select(index: number, scrollTimeline = true): Promise<void> {
    await this.selection.select(index, scrollTimeline);
  }

  /** A click on the timeline: the packet nearest that time. */
  private async pick(timeSec: number): Promise<void> {
    const index = await this.engine.nearest(timeSec);
    if (index >= 0) await this.select(index, false);
  }

  async goToFinding(f: PlacedFinding): Promise<void> {
    await this.selection.jumpTo(f.position, false);
    // Its start, with at most a few seconds of what follows and some room before it.
    const span = Math.min(f.toSec - f.fromSec, FINDING_VIEW_SEC);
    const pad = Math.max(span * 0.1, 0.001);
    this.zoomTo({ fromSec: f.fromSec - pad, toSec: f.fromSec + span + pad });
  }

  setNat(nat: boolean): void {
    this.update({ nat });
    const selected = this.state.selected;
    if (selected) void this.select(selected.index, false);
  }

  // ---- Marks.

  toggleMark(): void {
    const selected = this.state.selected;
    if (selected) void this.marks.toggle(selected.index);
  }

  goToMark(forward: boolean): void {
    const mark = this.marks.step(this.state.selected?.packet?.timeSec ?? -Infinity, forward);
    if (mark) void this.selection.jumpTo(mark.position);
  }

  /** Shift+click in the list: marks the run from the selected row to the clicked one (at most MAX_RUN rows). */
  async markRun(index: number): Promise<void> {
    const selected = this.state.selected;
    const from = selected ? Math.min(selected.index, index) : index;
    const to = selected ? Math.max(selected.index, index) : index;
    this.showPanel('marks');
    await this.marks.addRun(from, Math.min(to, from + MAX_RUN - 1) + 1);
  }

  markWindow(label: string): void {
    const window = this.state.window;
    if (!window) return;
    this.marks.addRange(window.span.fromSec, window.span.toSec, label);
    this.showPanel('marks');
  }

  exportMarked(): Promise<void> {
    return this.exports.marked().catch((error) => this.failed('Export of the marked packets', error));
  }

  exportBundle(): Promise<void> {
    return this.exports.bundle().catch((error) => this.failed('The incident bundle', error));
  }

  // ---- Clock offsets.

  /** Shifts one capture's clock: the list, the findings, their lanes and the marks all move by it. */
  async setClockOffset(capture: number, seconds: number): Promise<void> {
    const packet = this.state.selected?.packet;
    this.update({ offsets: await this.engine.setClockOffset(capture, seconds) });
    await this.refresh();
    this.port?.refresh();
    await this.marks.replace();
    const window = this.state.window;
    if (window) await this.setWindow(window.span);
    this.analyse();
    this.conversations.stale();
    if (packet) await this.selection.reselect(packet.capture, packet.frame);
  }

  /** Shifts a capture's clock so that the selected packet lines up with its copy there. */
  align(capture: number, deltaSec: number): Promise<void> {
    return this.setClockOffset(capture, (this.state.offsets[capture] ?? 0) - deltaSec);
  }

  // ---- Filter and time window.

  setFilterText(filterText: string): void {
    this.update({ filterText });
  }

  async applyFilter(text: string): Promise<void> {
    this.update({ filtering: true, filterText: text });
    this.remember(text);
    const outcome = await this.engine.applyFilter(text);
    // null: a newer filter took over; it will report.
    if (!outcome) return;
    this.update({ filtering: false, filter: outcome });
    if (outcome.error) return;
    this.selection.forget();
    this.update((s) => ({ version: s.version + 1 }));
    const window = this.state.window;
    if (window) await this.setWindow(window.span);
    this.port?.refresh();
  }

  private remember(text: string): void {
    const history = this.state.history;
    if (!text.trim() || history[0] === text) return;
    const next = [text, ...history.filter((h) => h !== text)].slice(0, HISTORY_LENGTH);
    this.platform.writeSetting(HISTORY_KEY, JSON.stringify(next));
    this.update({ history: next });
  }

  /** Shift-drag on the timeline: the list shows that stretch (null: all of it). */
  async setWindow(span: Viewport | null): Promise<void> {
    const window = span ? { span, range: await this.engine.indexRange(span.fromSec, span.toSec) } : null;
    this.update({ window });
    this.port?.setWindow(span);
  }

  clearWindow(): void {
    void this.setWindow(null);
  }

  // ---- Panels and display.

  togglePanel(panel: PanelName): void {
    if (this.state.panel === panel) this.update({ panel: null });
    else this.showPanel(panel);
  }

  showPanel(panel: PanelName): void {
    this.update({ panel });
    if (panel === 'conversations') this.conversations.shownNow();
  }

  /** The Details button: hides the pane if it is shown, else shows it (even with nothing selected). */
  toggleDetails(): void {
    this.update((s) => ({ detailsPane: detailsShown(s) ? 'closed' : 'open' }));
  }

  toggleMode(): void {
    const mode = this.state.mode === 'wall' ? 'relative' : 'wall';
    this.update({ mode });
    this.port?.setMode(mode);
  }

  toggleTheme(): void {
    const theme = this.state.theme === 'light' ? 'dark' : 'light';
    this.colors = this.platform.applyTheme(theme);
    this.update({ theme });
    this.port?.setTheme(this.colors);
  }

  // ---- Keys and problems.

  pressKey(k: KeyPress): 'handled' | 'leave-field' | null {
    return pressKey(k, this);
  }

  dismissProblem(): void {
    this.update({ problem: null });
  }

  /** A failed action, said in the notice bar instead of an unhandled rejection. */
  private failed(what: string, error: unknown): void {
    this.update({ problem: `${what} failed: ${(error as Error).message}` });
  }
}

function readHistory(platform: Platform): string[] {
  try {
    const value: unknown = JSON.parse(platform.readSetting(HISTORY_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((h): h is string => typeof h === 'string').slice(0, HISTORY_LENGTH) : [];
  } catch {
    return [];
  }
}
