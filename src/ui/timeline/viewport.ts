/**
 * The visible time window: one immutable value, changed only through these clamping
 * functions. Times are seconds since the workspace base (doubles; see merged-order.ts).
 */
export interface Viewport {
  readonly fromSec: number;
  readonly toSec: number;
}

/** The narrowest window: 100 ns, so single packets of a µs-spaced storm come apart. */
export const MIN_SPAN_SEC = 1e-7;

export function clampViewport(v: Viewport, extent: Viewport): Viewport {
  const full = Math.max(extent.toSec - extent.fromSec, MIN_SPAN_SEC);
  const span = Math.min(Math.max(v.toSec - v.fromSec, MIN_SPAN_SEC), full);
  const from = Math.min(Math.max(v.fromSec, extent.fromSec), extent.fromSec + full - span);
  return { fromSec: from, toSec: from + span };
}

/** Zooms by `factor` (>1 zooms in) keeping the time under `atFraction` (0..1) in place. */
export function zoomAt(v: Viewport, factor: number, atFraction: number, extent: Viewport): Viewport {
  const span = v.toSec - v.fromSec;
  const at = v.fromSec + span * atFraction;
  const next = span / factor;
  return clampViewport({ fromSec: at - next * atFraction, toSec: at - next * atFraction + next }, extent);
}

/** Pans by a fraction of the window (positive: later). */
export function panBy(v: Viewport, fraction: number, extent: Viewport): Viewport {
  const shift = (v.toSec - v.fromSec) * fraction;
  return clampViewport({ fromSec: v.fromSec + shift, toSec: v.toSec + shift }, extent);
}

/** The whole capture with a little margin, so the first and last packets are visible. */
export function fitAll(extent: Viewport): Viewport {
  const span = Math.max(extent.toSec - extent.fromSec, MIN_SPAN_SEC);
  return { fromSec: extent.fromSec - span * 0.01, toSec: extent.toSec + span * 0.01 };
}

/** Centres the window on t if t is outside it. */
export function reveal(v: Viewport, t: number, extent: Viewport): Viewport {
  if (t >= v.fromSec && t <= v.toSec) return v;
  const half = (v.toSec - v.fromSec) / 2;
  return clampViewport({ fromSec: t - half, toSec: t + half }, extent);
}
