/**
 * The overlay lanes: protocol state as coloured stretches, one tick per frame, gaps where
 * the frames stop. Ticks are culled to the view and drawn once per pixel column and kind,
 * so 100,000 ARP requests cost what the plot's width costs.
 */
import type { OverlayLane, OverlayState } from '../../session/contract.ts';
import type { Layout } from './layout.ts';
import type { Viewport } from './viewport.ts';

const STATE_COLORS: Record<OverlayState, string> = {
  'in-bundle': 'rgba(45, 164, 78, 0.55)',
  recovered: 'rgba(45, 164, 78, 0.55)',
  'out-of-sync': 'rgba(212, 167, 44, 0.7)',
  expired: 'rgba(225, 111, 36, 0.75)',
  defaulted: 'rgba(207, 34, 46, 0.7)',
  'partner-lost': 'rgba(207, 34, 46, 0.85)',
  unanswered: 'rgba(207, 34, 46, 0.3)',
  'active-0': 'rgba(47, 129, 247, 0.45)',
  'active-1': 'rgba(130, 80, 223, 0.45)',
  'active-2': 'rgba(26, 127, 55, 0.45)',
  'active-3': 'rgba(191, 135, 0, 0.45)',
  repeating: 'rgba(207, 34, 46, 0.45)',
};

/** Tick colours by kind: message, unicast request, broadcast request, reply. */
const TICK_COLORS = ['#57606a', '#0969da', '#cf222e', '#1a7f37'];

export const GROUP_COLORS: Record<OverlayLane['group'], string> = {
  LACP: '#d6455d',
  ARP: '#e8a33d',
  HSRP: '#e2683c',
  VRRP: '#cf4f9e',
  Repeated: '#cf222e',
};

export function drawOverlays(ctx: CanvasRenderingContext2D, layout: Layout, viewport: Viewport, lanes: Map<string, OverlayLane>, laneBackground: string): void {
  const span = viewport.toSec - viewport.fromSec;
  const x = (t: number) => layout.plotLeft + ((t - viewport.fromSec) / span) * layout.plotWidth;
  const right = layout.plotLeft + layout.plotWidth;
  for (const row of layout.overlays) {
    const lane = lanes.get(row.id);
    if (!lane) continue;
    ctx.fillStyle = laneBackground;
    ctx.fillRect(layout.plotLeft, row.top, layout.plotWidth, row.height);
    for (const seg of lane.segments) {
      const left = Math.max(layout.plotLeft, x(seg.fromSec));
      const end = Math.min(right, x(seg.toSec));
      if (end < layout.plotLeft || left > right) continue;
      ctx.fillStyle = STATE_COLORS[seg.state];
      ctx.fillRect(left, row.top + 3, Math.max(1, end - left), row.height - 6);
    }
    const lastPx = new Float64Array(TICK_COLORS.length).fill(-1);
    for (let i = firstAtOrAfter(lane.ticks, viewport.fromSec); i < lane.ticks.length && lane.ticks[i] <= viewport.toSec; i++) {
      const px = Math.round(x(lane.ticks[i]));
      const kind = lane.tickKinds[i];
      if (px === lastPx[kind]) continue;
      lastPx[kind] = px;
      ctx.fillStyle = TICK_COLORS[kind] ?? TICK_COLORS[0];
      ctx.fillRect(px, row.top + 1, 1, row.height - 2);
    }
  }
}

/** Gutter labels of the overlay lanes, and the row that brings hidden lanes back. */
export function drawOverlayLabels(
  ctx: CanvasRenderingContext2D,
  layout: Layout,
  lanes: Map<string, OverlayLane>,
  hidden: number,
  text: string,
  muted: string,
): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = '10.5px system-ui, sans-serif';
  for (const row of layout.overlays) {
    const lane = lanes.get(row.id);
    if (!lane) continue;
    ctx.fillStyle = GROUP_COLORS[lane.group];
    ctx.fillRect(10, row.top + row.height / 2 - 4, 8, 8);
    ctx.fillStyle = text;
    ctx.fillText(fit(ctx, row.label, layout.plotLeft - 30), 24, row.top + row.height / 2);
  }
  if (layout.hiddenTop !== null) {
    ctx.fillStyle = muted;
    ctx.fillText(`+ ${hidden} hidden lane${hidden === 1 ? '' : 's'}`, 10, layout.hiddenTop + 9);
  }
}

/** The segment under a time on a lane, else how many of its frames are within `halfSec`. */
export function overlayHover(lane: OverlayLane, t: number, halfSec: number): string {
  const seg = lane.segments.find((s) => s.fromSec <= t && t <= s.toSec);
  let n = 0;
  for (let i = firstAtOrAfter(lane.ticks, t - halfSec); i < lane.ticks.length && lane.ticks[i] <= t + halfSec; i++) n++;
  const frames = n ? `${n} frame${n === 1 ? '' : 's'}` : '';
  return [lane.label, seg?.text, frames].filter(Boolean).join(' · ');
}

function firstAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fit(ctx: CanvasRenderingContext2D, label: string, widthPx: number): string {
  if (ctx.measureText(label).width <= widthPx) return label;
  let s = label;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > widthPx) s = s.slice(0, -1);
  return `${s}…`;
}
