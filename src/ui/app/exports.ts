/**
 * Saving what the page shows: the list's packets or the marked ones as pcapng or pcap (a
 * download, or with File System Access a file the user picks, written chunk by chunk), the
 * incident bundle, the marks as a file, and the timeline as PNG and SVG.
 */
import type { ExportProgress } from '../../session/contract.ts';
import { marksFileText } from '../marks/mark-set.ts';
import type { ModelContext } from './context.ts';
import type { MarksFlow } from './marks.ts';
import { activeFilter, baseName, listRange, type ExportState, type ViewerState } from './viewer-state.ts';

/** Packets an export of what is chosen would hold (marked ranges add theirs, counted by the worker). */
export function exportCount(s: ViewerState): number {
  const [from, to] = listRange(s);
  return s.exporting.what === 'shown' ? Math.max(0, to - from) : s.marks.marks.length;
}

/** Nothing to export: no rows shown, or nothing marked. */
export function exportEmpty(s: ViewerState): boolean {
  const { what } = s.exporting;
  if (what === 'shown') return exportCount(s) === 0;
  return s.marks.marks.length + (what === 'marked-ranges' ? s.marks.ranges.length : 0) === 0;
}

export class Exports {
  /** Cancel was pressed: the running export's next progress report answers "stop". */
  private stop = false;

  constructor(
    private readonly ctx: ModelContext,
    private readonly marks: MarksFlow,
  ) {}

  private set(change: Partial<ExportState>): void {
    this.ctx.store.update((s) => ({ exporting: { ...s.exporting, ...change } }));
  }

  setFormat(format: ExportState['format']): void {
    this.set({ format });
  }

  setWhat(what: ExportState['what']): void {
    this.set({ what });
  }

  canPickFile(): boolean {
    return this.ctx.platform.canPickFile();
  }

  /** Export, or (toFile) Save as…: must be called from the click itself (the file dialog needs its gesture). */
  async save(toFile: boolean): Promise<void> {
    const s = this.ctx.store.getSnapshot();
    const { format, what } = s.exporting;
    const [from, to] = listRange(s);
    const count = exportCount(s);
    const name = baseName(s);
    this.set({ error: null });
    let file: FileSystemFileHandle | null | undefined;
    try {
      // Asked first: the file dialog needs the click's user gesture.
      if (toFile) file = await this.ctx.platform.pickSaveFile(what === 'shown' ? `${name}-${count}-packets.${format}` : `${name}-marked.${format}`);
    } catch (e) {
      this.set({ error: `Export failed: ${(e as Error).message}` });
      return;
    }
    if (file === null) return;
    this.set({ progress: { packets: 0, packetsTotal: count, bytes: 0, bytesTotal: 0, elapsedMs: 0, done: false } });
    const startMs = performance.now();
    // Progress comes through a port of its own, so a last report may arrive after the result.
    let over = false;
    this.stop = false;
    const onProgress = (p: ExportProgress) => {
      if (!over) this.set({ progress: p });
      return this.stop;
    };
    try {
      const { engine } = this.ctx;
      const picks = this.marks.picks();
      const { blob, packets } =
        what === 'shown'
          ? await engine.exportBlob(format, from, to, onProgress, file)
          : await engine.exportPicks(format, picks, what === 'marked-ranges' ? s.marks.ranges : [], onProgress, file);
      // Written to the picked file already; else a download.
      if (!file) this.ctx.platform.download(blob, `${name}-${what === 'shown' ? '' : 'marked-'}${packets}-packets.${format}`);
      // For tests and the curious: one 'export' measure per export done.
      performance.measure('export', { start: startMs, detail: { packets, bytes: blob.size, format, toFile: !!file } });
    } catch (e) {
      // Cancel is the user's choice, not a failure.
      if ((e as Error).name !== 'AbortError') this.set({ error: `Export failed: ${(e as Error).message}` });
    } finally {
      over = true;
      this.set({ progress: null });
    }
  }

  /** Cancel in the export's bar: it stops at its next progress report, leaving no file. */
  cancel(): void {
    this.stop = true;
  }

  /** The marked packets as pcapng, their notes as packet comments. */
  async marked(): Promise<void> {
    const { blob, packets } = await this.ctx.engine.exportPicks('pcapng', this.marks.picks());
    this.ctx.platform.download(blob, `marked-${packets}-packets.pcapng`);
  }

  /** One pcapng: the marked and ranged packets with their notes, and this view (window, filter, selection). */
  async bundle(): Promise<void> {
    const s = this.ctx.store.getSnapshot();
    const viewport = this.ctx.timeline?.currentViewport;
    const filter = activeFilter(s);
    const packet = s.selected?.packet;
    const { blob } = await this.ctx.engine.exportBundle(this.marks.picks(), s.marks.ranges, {
      ...(viewport ? { span: viewport } : {}),
      ...(filter ? { filter } : {}),
      ...(packet ? { selected: { capture: packet.capture, row: packet.frame - 1 } } : {}),
    });
    this.ctx.platform.download(blob, `${baseName(s)}-incident.pcapng`);
  }

  /** The marks as the CLI's marks file, for a browser that will not keep them. */
  marksFile(): void {
    const s = this.ctx.store.getSnapshot();
    const text = marksFileText(s.marks.marks, s.marks.ranges, s.overview?.baseSec ?? 0);
    this.ctx.platform.download(new Blob([text], { type: 'application/json' }), `${baseName(s)}-marks.json`);
  }

  /** The timeline as drawn now (lanes, marks) as PNG and SVG. */
  async image(): Promise<void> {
    const timeline = this.ctx.timeline;
    if (!timeline) return;
    const name = baseName(this.ctx.store.getSnapshot());
    this.ctx.platform.download(await timeline.image(), `${name}-timeline.png`);
    this.ctx.platform.download(timeline.svg(), `${name}-timeline.svg`);
  }
}
