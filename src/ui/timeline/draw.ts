/**
 * Draws the timeline from the latest answer of the worker. Culls to the plot, clamps widths
 * to at least 1 px, labels in a second pass. Density is a log scale per pixel column.
 */
import type { OverlayLane, TimelineAnswer } from '../../session/contract.ts';
import { captureColor, classColor } from '../colors.ts';
import { axisTicks } from './axis-ticks.ts';
import { drawOverlayLabels, drawOverlays } from './draw-overlays.ts';
import type { Layout } from './layout.ts';
import { ALL_LANE_PX } from './layout.ts';
import { dateLabel, tickLabel, type TimeMode } from './time-labels.ts';
import type { Viewport } from './viewport.ts';

export interface Theme {
  background: string;
  text: string;
  muted: string;
  grid: string;
  laneBackground: string;
  cursor: string;
  hover: string;
  window: string;
}

export interface DrawState {
  layout: Layout;
  viewport: Viewport;
  answer: TimelineAnswer | null;
  classNames: readonly string[];
  baseSec: number;
  originSec: number;
  mode: TimeMode;
  selectedSec: number | null;
  hoverPx: number | null;
  windowSec: Viewport | null;
  brushSec: Viewport | null;
  theme: Theme;
  collapsed: boolean;
  /** Overlay lanes by id (the layout says which are shown, in which order) and how many are hidden. */
  overlays: Map<string, OverlayLane>;
  hiddenOverlays: number;
  /** Marked packets' times and marked ranges, seconds since the base. */
  marks: number[];
  ranges: { fromSec: number; toSec: number; label: string; color: string }[];
  /** The selected packet and where else it was seen: lines from lane to lane. */
  links: { fromSec: number; fromLane: number; toSec: number; toLane: number }[];
}

const MARK_COLOR = '#8250df';

export function drawTimeline(ctx: CanvasRenderingContext2D, s: DrawState): void {
  const { layout, theme } = s;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, layout.widthPx, layout.heightPx);
  const x = (t: number) => layout.plotLeft + ((t - s.viewport.fromSec) / (s.viewport.toSec - s.viewport.fromSec)) * layout.plotWidth;
  drawLaneBackgrounds(ctx, s);
  drawAxis(ctx, s, x);
  if (s.answer) {
    if (s.answer.ticks) drawTicks(ctx, s, x);
    else drawDensity(ctx, s, x);
  }
  drawOverlays(ctx, layout, s.viewport, s.overlays, theme.laneBackground);
  for (const r of s.ranges) drawSpan(ctx, s, x, r, `${r.color}1f`);
  drawSpan(ctx, s, x, s.windowSec, theme.window);
  drawSpan(ctx, s, x, s.brushSec, theme.window);
  drawMarks(ctx, s, x);
  if (s.selectedSec !== null) drawVertical(ctx, s, x(s.selectedSec), theme.cursor, 2);
  if (s.hoverPx !== null) drawVertical(ctx, s, s.hoverPx, theme.hover, 1);
  drawLabels(ctx, s);
  drawOverlayLabels(ctx, layout, s.overlays, s.hiddenOverlays, theme.text, theme.muted);
  drawAxisTitle(ctx, s);
}

/** A mark is a purple line with a notch on top; a range says its label at its start. */
function drawMarks(ctx: CanvasRenderingContext2D, s: DrawState, x: (t: number) => number): void {
  const { layout } = s;
  ctx.fillStyle = MARK_COLOR;
  for (const t of s.marks) {
    const px = Math.round(x(t));
    if (px < layout.plotLeft || px > layout.plotLeft + layout.plotWidth) continue;
    ctx.fillRect(px, layout.allTop, 1, layout.heightPx - layout.allTop);
    ctx.beginPath();
    ctx.moveTo(px - 4, layout.allTop);
    ctx.lineTo(px + 5, layout.allTop);
    ctx.lineTo(px + 0.5, layout.allTop + 6);
    ctx.fill();
  }
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (const r of s.ranges) {
    const left = Math.max(layout.plotLeft, x(r.fromSec));
    if (left > layout.plotLeft + layout.plotWidth || x(r.toSec) < layout.plotLeft) continue;
    ctx.fillStyle = r.color;
    ctx.fillText(r.label, left + 3, layout.allTop + 2);
  }
  // The same packet at two capture points: a line from its lane to the other's.
  ctx.fillStyle = MARK_COLOR;
  for (const l of s.links) {
    const from = layout.lanes.find((lane) => lane.capture === l.fromLane);
    const to = layout.lanes.find((lane) => lane.capture === l.toLane);
    if (!from || !to) continue;
    ctx.beginPath();
    const [x1, y1, x2, y2] = [x(l.fromSec), from.top + from.height / 2, x(l.toSec), to.top + to.height / 2];
    // A thin quadrilateral: the canvas and SVG contexts share fill only.
    ctx.moveTo(x1 - 0.75, y1);
    ctx.lineTo(x1 + 0.75, y1);
    ctx.lineTo(x2 + 0.75, y2);
    ctx.lineTo(x2 - 0.75, y2);
    ctx.fill();
  }
}

function drawLaneBackgrounds(ctx: CanvasRenderingContext2D, s: DrawState): void {
  const { layout, theme } = s;
  ctx.fillStyle = theme.laneBackground;
  ctx.fillRect(layout.plotLeft, layout.allTop, layout.plotWidth, ALL_LANE_PX);
  for (const lane of layout.lanes) ctx.fillRect(layout.plotLeft, lane.top, layout.plotWidth, lane.height);
}

function drawAxis(ctx: CanvasRenderingContext2D, s: DrawState, x: (t: number) => number): void {
  const { layout, theme } = s;
  const count = Math.max(2, Math.floor(layout.plotWidth / 130));
  const { times, stepSec } = axisTicks(s.viewport.fromSec, s.viewport.toSec, s.baseSec, s.originSec, s.mode, count);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  for (const t of times) {
    const px = Math.round(x(t)) + 0.5;
    if (px < layout.plotLeft || px > layout.plotLeft + layout.plotWidth) continue;
    ctx.fillStyle = theme.grid;
    ctx.fillRect(px, layout.allTop, 1, layout.heightPx - layout.allTop);
    const label = tickLabel(t, s.baseSec, s.originSec, s.mode, stepSec);
    const half = ctx.measureText(label).width / 2;
    if (px - half < layout.plotLeft || px + half > layout.widthPx) continue;
    ctx.fillStyle = theme.text;
    ctx.fillText(label, px, 6);
  }
}

/** The date and zone (or the relative origin) in the gutter, left of the tick labels. */
function drawAxisTitle(ctx: CanvasRenderingContext2D, s: DrawState): void {
  ctx.fillStyle = s.theme.background;
  ctx.fillRect(0, 0, s.layout.plotLeft - 4, s.layout.allTop);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = s.theme.muted;
  const [first, second] = s.mode === 'wall' ? dateLabel(s.viewport.fromSec, s.baseSec).split(' ') : ['seconds since', 'first packet'];
  ctx.fillText(first, 8, 3);
  ctx.fillText(second, 8, 15);
}

/** Per pixel column: the All lane stacks classes, each class lane shows its own count. */
function drawDensity(ctx: CanvasRenderingContext2D, s: DrawState, x: (t: number) => number): void {
  const a = s.answer!;
  const bins = a.total.length;
  const binWidth = (x(a.toSec) - x(a.fromSec)) / bins;
  let max = 1;
  for (let b = 0; b < bins; b++) if (a.total[b] > max) max = a.total[b];
  const logMax = Math.log1p(max);
  const allBottom = s.layout.allTop + ALL_LANE_PX;
  const stacked = new Float64Array(bins);
  // With a filter, every packet is drawn faint behind the matching ones.
  if (a.filtered) {
    ctx.fillStyle = s.theme.grid;
    for (let b = 0; b < bins; b++) {
      if (a.total[b] === 0) continue;
      const h = (Math.log1p(a.total[b]) / logMax) * (ALL_LANE_PX - 4);
      ctx.fillRect(x(a.fromSec) + b * binWidth, allBottom - h, Math.max(1, binWidth), h);
    }
  }
  const shownTotal = new Float64Array(bins);
  for (let i = 0; i < a.lanes.length; i++) for (let b = 0; b < bins; b++) shownTotal[b] += a.laneCounts[i * bins + b];
  if (a.captureCounts) {
    for (const lane of s.layout.lanes) {
      if (lane.capture === undefined) continue;
      ctx.fillStyle = captureColor(lane.capture);
      for (let b = 0; b < bins; b++) {
        const n = a.captureCounts[lane.capture * bins + b];
        if (n === 0) continue;
        const left = x(a.fromSec) + b * binWidth;
        const lh = Math.max(1, (Math.log1p(n) / logMax) * (lane.height - 2));
        ctx.fillRect(left, lane.top + lane.height - lh, Math.max(1, binWidth), lh);
      }
    }
  }
  a.lanes.forEach((cls, i) => {
    const color = classColor(s.classNames[cls]);
    const lane = s.layout.lanes.find((l) => l.cls === cls);
    ctx.fillStyle = color;
    for (let b = 0; b < bins; b++) {
      const n = a.laneCounts[i * bins + b];
      if (n === 0) continue;
      const left = x(a.fromSec) + b * binWidth;
      if (left + binWidth < s.layout.plotLeft || left > s.layout.plotLeft + s.layout.plotWidth) continue;
      const w = Math.max(1, binWidth);
      // The All lane's bar is the log of the total, split among classes by their share.
      const barPx = (Math.log1p(shownTotal[b]) / logMax) * (ALL_LANE_PX - 4);
      const h = (barPx * n) / shownTotal[b];
      ctx.fillRect(left, allBottom - stacked[b] - h, w, Math.max(h, 0.5));
      stacked[b] += h;
      if (lane) {
        const lh = Math.max(1, (Math.log1p(n) / logMax) * (lane.height - 2));
        ctx.fillRect(left, lane.top + lane.height - lh, w, lh);
      }
    }
  });
}

/** Zoomed in far enough: one tick per packet, so a burst shows as what it is. */
function drawTicks(ctx: CanvasRenderingContext2D, s: DrawState, x: (t: number) => number): void {
  const t = s.answer!.ticks!;
  const lanes = new Map(s.layout.lanes.filter((l) => l.capture === undefined).map((l) => [l.cls, l]));
  const captureLanes = new Map(s.layout.lanes.filter((l) => l.capture !== undefined).map((l) => [l.capture!, l]));
  for (let i = 0; i < t.time.length; i++) {
    const px = Math.round(x(t.time[i]));
    if (px < s.layout.plotLeft || px > s.layout.plotLeft + s.layout.plotWidth) continue;
    ctx.fillStyle = classColor(s.classNames[t.cls[i]]);
    ctx.fillRect(px, s.layout.allTop + 6, 1, ALL_LANE_PX - 8);
    const lane = lanes.get(t.cls[i]);
    if (lane) ctx.fillRect(px, lane.top + 2, 1, lane.height - 4);
    const point = captureLanes.get(t.point[i]);
    if (point) ctx.fillRect(px, point.top + 2, 1, point.height - 4);
  }
}

function drawSpan(ctx: CanvasRenderingContext2D, s: DrawState, x: (t: number) => number, span: Viewport | null, color: string): void {
  if (!span) return;
  const left = Math.max(s.layout.plotLeft, x(span.fromSec));
  const right = Math.min(s.layout.plotLeft + s.layout.plotWidth, x(span.toSec));
  if (right <= left) return;
  ctx.fillStyle = color;
  ctx.fillRect(left, s.layout.allTop, Math.max(1, right - left), s.layout.heightPx - s.layout.allTop);
}

function drawVertical(ctx: CanvasRenderingContext2D, s: DrawState, px: number, color: string, width: number): void {
  if (px < s.layout.plotLeft || px > s.layout.plotLeft + s.layout.plotWidth) return;
  ctx.fillStyle = color;
  ctx.fillRect(Math.round(px - width / 2), s.layout.allTop, width, s.layout.heightPx - s.layout.allTop);
}

function drawLabels(ctx: CanvasRenderingContext2D, s: DrawState): void {
  const { layout, theme } = s;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, layout.allTop, layout.plotLeft - 4, layout.heightPx - layout.allTop);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.fillStyle = theme.text;
  ctx.fillText(`${s.collapsed ? '▸' : '▾'} All packets`, 8, layout.allTop + ALL_LANE_PX / 2);
  ctx.font = '12px system-ui, sans-serif';
  for (const lane of layout.lanes) {
    ctx.fillStyle = lane.capture !== undefined ? captureColor(lane.capture) : classColor(s.classNames[lane.cls]);
    ctx.fillRect(10, lane.top + lane.height / 2 - 4, 8, 8);
    ctx.fillStyle = theme.text;
    ctx.fillText(lane.name, 24, lane.top + lane.height / 2);
  }
}
