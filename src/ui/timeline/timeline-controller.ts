/**
 * The timeline outside React: owns the canvas, the viewport and the d3 zoom behaviour,
 * asks the worker only for what the screen shows (one bin per pixel column), keeps stale
 * data on screen while a newer answer is on its way, and draws at most once per frame.
 */
import { select, type Selection } from 'd3';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { TimelineAnswer, OverlayLane } from '../../session/contract.ts';
import { overlayHover } from './draw-overlays.ts';
import { drawTimeline, type Theme } from './draw.ts';
import { SvgContext } from './svg-context.ts';
import { layoutFor, type Layout } from './layout.ts';
import { durationLabel, fractionDigits, timeLabel, type TimeMode } from './time-labels.ts';
import { clampViewport, fitAll, MIN_SPAN_SEC, panBy, reveal, zoomAt, type Viewport } from './viewport.ts';

export interface TimelineSource {
  timeline(fromSec: number, toSec: number, binCount: number, maxTicks: number): Promise<TimelineAnswer>;
}

export interface TimelineCallbacks {
  /** A click on the timeline asks for the packet nearest to this time. */
  onPick(timeSec: number): void;
  /** Shift-drag chose a time window for the list (null: cleared). */
  onWindow(window: Viewport | null): void;
  onViewport?(viewport: Viewport): void;
}

export class TimelineController {
  private layout: Layout;
  private extent: Viewport = { fromSec: 0, toSec: 1 };
  private viewport: Viewport = { fromSec: 0, toSec: 1 };
  private answer: TimelineAnswer | null = null;
  private classes: { cls: number; name: string }[] = [];
  private classNames: readonly string[] = [];
  private baseSec = 0;
  private mode: TimeMode = 'wall';
  private selectedSec: number | null = null;
  private hoverPx: number | null = null;
  private windowSec: Viewport | null = null;
  private brushSec: Viewport | null = null;
  private brushStartSec: number | null = null;
  private collapsed = false;
  private overlays = new Map<string, OverlayLane>();
  /** Overlay lane ids in the user's order, and those the user hid. */
  private overlayOrder: string[] = [];
  private readonly hiddenOverlays = new Set<string>();
  private marks: number[] = [];
  private captureNames: string[] = [];
  private ranges: { fromSec: number; toSec: number; label: string; color: string }[] = [];
  private links: { fromSec: number; fromLane: number; toSec: number; toLane: number }[] = [];
  private userZoomed = false;
  private frame = 0;
  private requested = 0;
  private received = 0;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly canvasSel: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private readonly tooltip: HTMLDivElement;
  private readonly resize: ResizeObserver;
  private applyingZoom = false;
  /** The queued frame's token of work in flight (the page's idle signal waits for it). */
  private frameDone: (() => void) | null = null;

  /** `activity` counts queued frames as work in flight (see src/ui/app/idle-signal.ts). */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly source: TimelineSource,
    private readonly callbacks: TimelineCallbacks,
    private theme: Theme,
    private readonly activity?: { begin(): () => void },
  ) {
    this.layout = layoutFor(canvas.clientWidth || 800, [], false);
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'timeline-tooltip';
    canvas.parentElement?.appendChild(this.tooltip);
    this.canvasSel = select(canvas);
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .filter((event: Event) => !(event as MouseEvent).shiftKey && !(event as MouseEvent).button && event.type !== 'dblclick')
      .on('zoom', (event: { transform: ZoomTransform; sourceEvent: Event | null }) => this.onZoom(event.transform, event.sourceEvent));
    this.canvasSel.call(this.zoomBehavior).on('dblclick.zoom', null);
    canvas.addEventListener('dblclick', () => this.fit());
    canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    canvas.addEventListener('pointerleave', () => this.setHover(null));
    canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    canvas.addEventListener('click', (e) => this.onClick(e));
    this.resize = new ResizeObserver(() => this.relayout());
    this.resize.observe(canvas.parentElement ?? canvas);
  }

  destroy(): void {
    this.resize.disconnect();
    this.tooltip.remove();
    cancelAnimationFrame(this.frame);
    this.frameDone?.();
  }

  /** New data range or lanes (also while a capture is still being read). */
  setOverview(extent: Viewport, classes: { cls: number; name: string }[], classNames: readonly string[], baseSec: number): void {
    this.extent = extent;
    this.classes = classes;
    this.classNames = classNames;
    this.baseSec = baseSec;
    this.relayout();
    if (!this.userZoomed) this.setViewport(fitAll(extent), false);
    else this.fetch();
  }

  /** The protocol state lanes (LACP, ARP, HSRP, VRRP, repeated frames), drawn under the class lanes. */
  setOverlays(lanes: OverlayLane[]): void {
    this.overlays = new Map(lanes.map((l) => [l.id, l]));
    this.overlayOrder = [...this.overlayOrder.filter((id) => this.overlays.has(id)), ...lanes.map((l) => l.id).filter((id) => !this.overlayOrder.includes(id))];
    this.relayout();
  }

  /** The timeline as drawn now, lanes, marks and all, as a PNG (for a ticket or a report). */
  image(): Promise<Blob> {
    return new Promise((resolve, reject) => this.canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no image'))), 'image/png'));
  }

  /** The merged captures' names: a lane each when there are several. */
  setCaptures(names: string[]): void {
    if (names.join('|') === this.captureNames.join('|')) return;
    this.captureNames = names;
    this.relayout();
  }

  /** Lines between the lanes where one packet was seen (lanes are capture points, by index). */
  setLinks(links: { fromSec: number; fromLane: number; toSec: number; toLane: number }[]): void {
    this.links = links;
    this.schedule();
  }

  setMarks(marks: number[], ranges: { fromSec: number; toSec: number; label: string; color: string }[]): void {
    this.marks = marks;
    this.ranges = ranges;
    this.schedule();
  }

  /** Click on a lane's label hides it; Shift+click moves it up one place. */
  private overlayLabelClick(id: string, moveUp: boolean): void {
    if (moveUp) {
      const i = this.overlayOrder.indexOf(id);
      if (i > 0) [this.overlayOrder[i - 1], this.overlayOrder[i]] = [this.overlayOrder[i], this.overlayOrder[i - 1]];
    } else this.hiddenOverlays.add(id);
    this.relayout();
  }

  /** Asks the worker again for the current window (the filter changed). */
  refresh(): void {
    this.fetch();
  }

  setMode(mode: TimeMode): void {
    this.mode = mode;
    this.schedule();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.schedule();
  }

  setSelected(timeSec: number | null, scrollIntoView: boolean): void {
    this.selectedSec = timeSec;
    if (timeSec !== null && scrollIntoView) this.setViewport(reveal(this.viewport, timeSec, fitAll(this.extent)), true);
    this.schedule();
  }

  setWindow(window: Viewport | null): void {
    this.windowSec = window;
    this.schedule();
  }

  /** Keyboard: W/S zoom at the centre (or the cursor), A/D pan, as in trace viewers. */
  key(key: string): boolean {
    // Zoom at the mouse when it is over the timeline, else at the selected packet if in view.
    const v = this.viewport;
    const selectedInView = this.selectedSec !== null && this.selectedSec >= v.fromSec && this.selectedSec <= v.toSec;
    const at =
      this.hoverPx !== null
        ? (this.hoverPx - this.layout.plotLeft) / this.layout.plotWidth
        : selectedInView
          ? (this.selectedSec! - v.fromSec) / (v.toSec - v.fromSec)
          : 0.5;
    const bounds = fitAll(this.extent);
    const next =
      key === 'w'
        ? zoomAt(this.viewport, 1.5, at, bounds)
        : key === 's'
          ? zoomAt(this.viewport, 1 / 1.5, at, bounds)
          : key === 'a'
            ? panBy(this.viewport, -0.2, bounds)
            : key === 'd'
              ? panBy(this.viewport, 0.2, bounds)
              : null;
    if (!next) return false;
    this.setViewport(next, true);
    return true;
  }

  fit(): void {
    this.userZoomed = false;
    this.setViewport(fitAll(this.extent), false);
  }

  zoomTo(window: Viewport): void {
    this.setViewport(clampViewport(window, fitAll(this.extent)), true);
  }

  get currentViewport(): Viewport {
    return this.viewport;
  }

  toggleLanes(): void {
    this.collapsed = !this.collapsed;
    this.relayout();
  }

  private setViewport(v: Viewport, byUser: boolean): void {
    this.viewport = v;
    this.publishViewport();
    if (byUser) this.userZoomed = true;
    this.syncZoomTransform();
    this.callbacks.onViewport?.(v);
    this.fetch();
    this.schedule();
  }

  /**
   * Keeps d3's transform equal to the viewport, so wheel and drag continue from it. The
   * transform is in canvas pixels (d3 zooms about the pointer there): the whole extent spans
   * [plotLeft, plotLeft + plotWidth] at scale 1, and the plot shows canvas x in that range.
   */
  private syncZoomTransform(): void {
    const full = fitAll(this.extent);
    const { plotLeft, plotWidth } = this.layout;
    const k = (full.toSec - full.fromSec) / (this.viewport.toSec - this.viewport.fromSec);
    const x = plotLeft - k * (plotLeft + ((this.viewport.fromSec - full.fromSec) / (full.toSec - full.fromSec)) * plotWidth);
    this.applyingZoom = true;
    this.zoomBehavior.scaleExtent([1, Math.max(1, (full.toSec - full.fromSec) / MIN_SPAN_SEC)]);
    this.canvasSel.call(this.zoomBehavior.transform, zoomIdentity.translate(x, 0).scale(k));
    this.applyingZoom = false;
  }

  private onZoom(t: ZoomTransform, sourceEvent: Event | null): void {
    if (this.applyingZoom || !sourceEvent) return;
    const full = fitAll(this.extent);
    const span = full.toSec - full.fromSec;
    // The plot's left and right edges, back through the transform into the unzoomed plot.
    const { plotLeft, plotWidth } = this.layout;
    const timeAt = (canvasX: number) => full.fromSec + ((t.invertX(canvasX) - plotLeft) / plotWidth) * span;
    const next = clampViewport({ fromSec: timeAt(plotLeft), toSec: timeAt(plotLeft + plotWidth) }, full);
    this.viewport = next;
    this.publishViewport();
    this.userZoomed = true;
    this.callbacks.onViewport?.(next);
    this.fetch();
    this.schedule();
  }

  /** The window in seconds on the canvas element, for tests and a user's devtools. */
  private publishViewport(): void {
    this.canvas.dataset.viewport = `${this.viewport.fromSec},${this.viewport.toSec}`;
  }

  private async fetch(): Promise<void> {
    const id = ++this.requested;
    const { fromSec, toSec } = this.viewport;
    const bins = Math.max(1, Math.floor(this.layout.plotWidth));
    const answer = await this.source.timeline(fromSec, toSec, bins, bins * 2);
    // The newest answer wins; an older one that arrives late is still newer than what is drawn.
    if (id < this.received) return;
    this.received = id;
    this.answer = answer;
    // Capture points (captures, or a pcapng's interfaces) come with the answer: a lane each.
    this.setCaptures(answer.pointNames);
    this.schedule();
  }

  private relayout(): void {
    const width = this.canvas.parentElement?.clientWidth ?? this.canvas.clientWidth;
    const shown = this.overlayOrder.filter((id) => !this.hiddenOverlays.has(id)).map((id) => ({ id, label: this.overlays.get(id)!.label }));
    this.layout = layoutFor(width, this.classes, this.collapsed, shown, this.overlayOrder.length - shown.length, this.captureNames);
    this.canvas.dataset.captureLanes = this.captureNames.length > 1 ? this.captureNames.join('|') : '';
    // The overlay lanes shown, in order, and where (top and height in CSS px), for tests and a user's devtools.
    this.canvas.dataset.overlays = shown.map((l) => l.id).join('|');
    this.canvas.dataset.overlayRows = this.layout.overlays.map((r) => `${r.top},${r.height}`).join('|');
    const dpr = window.devicePixelRatio || 1;
    this.canvas.style.width = `${this.layout.widthPx}px`;
    this.canvas.style.height = `${this.layout.heightPx}px`;
    this.canvas.width = Math.round(this.layout.widthPx * dpr);
    this.canvas.height = Math.round(this.layout.heightPx * dpr);
    this.syncZoomTransform();
    this.fetch();
    this.schedule();
  }

  /**
   * Draws at most once per frame. Each frame is a User Timing measure 'timeline-draw' (its
   * detail: the packets in the window drawn) for a PerformanceObserver (the benchmark's) and
   * the performance panel; it is cleared at once, so an hour of frames holds no memory.
   */
  private schedule(): void {
    if (this.frame) return;
    this.frameDone = this.activity?.begin() ?? null;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const started = performance.now();
      this.draw();
      performance.measure('timeline-draw', { start: started, detail: { packets: packetsIn(this.answer) } });
      performance.clearMeasures('timeline-draw');
      this.frameDone?.();
      this.frameDone = null;
    });
  }

  /** The same picture as vectors: the drawing code run against an SVG-recording context. */
  svg(): Blob {
    const measurer = this.canvas.getContext('2d')!;
    const svg = new SvgContext(this.layout.widthPx, this.layout.heightPx, measurer);
    this.paint(svg as unknown as CanvasRenderingContext2D);
    return new Blob([svg.toString()], { type: 'image/svg+xml' });
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.paint(ctx);
  }

  private paint(ctx: CanvasRenderingContext2D): void {
    drawTimeline(ctx, {
      layout: this.layout,
      viewport: this.viewport,
      answer: this.answer,
      classNames: this.classNames,
      baseSec: this.baseSec,
      originSec: this.extent.fromSec,
      mode: this.mode,
      selectedSec: this.selectedSec,
      hoverPx: this.hoverPx,
      windowSec: this.windowSec,
      brushSec: this.brushSec,
      theme: this.theme,
      collapsed: this.collapsed,
      overlays: this.overlays,
      hiddenOverlays: this.overlayOrder.length - this.layout.overlays.length,
      marks: this.marks,
      ranges: this.ranges,
      links: this.links,
    });
  }

  private timeAt(px: number): number {
    return this.viewport.fromSec + ((px - this.layout.plotLeft) / this.layout.plotWidth) * (this.viewport.toSec - this.viewport.fromSec);
  }

  private localX(e: MouseEvent): number {
    return e.clientX - this.canvas.getBoundingClientRect().left;
  }

  private onPointerMove(e: PointerEvent): void {
    const px = this.localX(e);
    if (this.brushStartSec !== null) {
      const t = this.timeAt(px);
      this.brushSec = { fromSec: Math.min(t, this.brushStartSec), toSec: Math.max(t, this.brushStartSec) };
    }
    this.setHover(px >= this.layout.plotLeft ? px : null, e.clientY - this.canvas.getBoundingClientRect().top);
  }

  private onPointerDown(e: PointerEvent): void {
    if (!e.shiftKey || this.localX(e) < this.layout.plotLeft) return;
    this.brushStartSec = this.timeAt(this.localX(e));
    this.canvas.setPointerCapture(e.pointerId);
  }

  private onPointerUp(e: PointerEvent): void {
    if (this.brushStartSec === null) return;
    const brush = this.brushSec;
    this.brushStartSec = null;
    this.brushSec = null;
    this.canvas.releasePointerCapture(e.pointerId);
    const pxWide = brush ? ((brush.toSec - brush.fromSec) / (this.viewport.toSec - this.viewport.fromSec)) * this.layout.plotWidth : 0;
    if (brush && pxWide >= 3) this.callbacks.onWindow(brush);
    this.schedule();
  }

  private onClick(e: MouseEvent): void {
    const px = this.localX(e);
    const y = e.clientY - this.canvas.getBoundingClientRect().top;
    if (px < this.layout.plotLeft) {
      if (y >= this.layout.allTop && y < this.layout.allTop + 56) this.toggleLanes();
      const row = this.layout.overlays.find((r) => y >= r.top && y < r.top + r.height);
      if (row) this.overlayLabelClick(row.id, e.shiftKey);
      const hiddenTop = this.layout.hiddenTop;
      if (hiddenTop !== null && y >= hiddenTop && y < hiddenTop + 18) {
        this.hiddenOverlays.clear();
        this.relayout();
      }
      return;
    }
    if (e.shiftKey || e.defaultPrevented) return;
    this.callbacks.onPick(this.timeAt(px));
  }

  private setHover(px: number | null, y = 0): void {
    this.hoverPx = px;
    this.schedule();
    if (px === null || !this.answer) {
      this.tooltip.style.display = 'none';
      return;
    }
    const t = this.timeAt(px);
    const span = this.viewport.toSec - this.viewport.fromSec;
    const digits = fractionDigits(span / this.layout.plotWidth);
    const row = this.layout.overlays.find((r) => y >= r.top && y < r.top + r.height);
    const what = row ? overlayHover(this.overlays.get(row.id)!, t, span / this.layout.plotWidth) : this.countAt(t);
    this.tooltip.textContent = `${timeLabel(t, this.baseSec, this.extent.fromSec, this.mode, digits, span)}  ·  ${what} · ${durationLabel(span / this.layout.plotWidth)}/px`;
    this.tooltip.style.display = 'block';
    this.tooltip.style.left = `${Math.min(px + 12, this.layout.widthPx - 260)}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }

  /** The hovered pixel column's packets, in words. */
  private countAt(t: number): string {
    const a = this.answer!;
    if (a.ticks) {
      const half = (this.viewport.toSec - this.viewport.fromSec) / this.layout.plotWidth / 2;
      let n = 0;
      for (let i = 0; i < a.ticks.time.length; i++) if (Math.abs(a.ticks.time[i] - t) <= half) n++;
      return `${n} packet${n === 1 ? '' : 's'}`;
    }
    const bin = Math.floor(((t - a.fromSec) / (a.toSec - a.fromSec)) * a.total.length);
    const n = bin >= 0 && bin < a.total.length ? a.total[bin] : 0;
    return `${n.toLocaleString('en-US')} packet${n === 1 ? '' : 's'}`;
  }
}

/** Packets in the window an answer holds (0 before the first answer). */
function packetsIn(answer: TimelineAnswer | null): number {
  if (!answer) return 0;
  let n = 0;
  for (let i = 0; i < answer.total.length; i++) n += answer.total[i];
  return n;
}
