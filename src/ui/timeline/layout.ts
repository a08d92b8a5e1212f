/** Where things are on the timeline canvas, in CSS pixels. */
export const GUTTER_PX = 112;
export const AXIS_PX = 30;
export const ALL_LANE_PX = 56;
export const LANE_PX = 20;
export const LANE_GAP_PX = 2;

export interface Lane {
  /** A protocol class lane, or (cls -1) the lane of capture `capture` when several are merged. */
  cls: number;
  capture?: number;
  name: string;
  top: number;
  height: number;
}

export const OVERLAY_PX = 18;

export interface OverlayRow {
  id: string;
  label: string;
  top: number;
  height: number;
}

export interface Layout {
  widthPx: number;
  heightPx: number;
  plotLeft: number;
  plotWidth: number;
  allTop: number;
  lanes: Lane[];
  /** Overlay lanes below the class lanes, in the user's order; then a row to show hidden ones. */
  overlays: OverlayRow[];
  hiddenTop: number | null;
}

export function layoutFor(
  widthPx: number,
  classes: { cls: number; name: string }[],
  collapsed: boolean,
  overlays: { id: string; label: string }[] = [],
  hidden = 0,
  captures: string[] = [],
): Layout {
  const allTop = AXIS_PX;
  let y = allTop + ALL_LANE_PX + 6;
  const lanes: Lane[] = [];
  // Several captures: a lane each (capture points), then the protocol lanes.
  if (captures.length > 1) {
    captures.forEach((name, capture) => {
      lanes.push({ cls: -1, capture, name, top: y, height: LANE_PX });
      y += LANE_PX + LANE_GAP_PX;
    });
    y += 4;
  }
  // The protocol state lanes come before the class lanes: they tell the incident, and stay in
  // view when the timeline's pane is short.
  const rows = overlays.map((o) => {
    const row = { ...o, top: y, height: OVERLAY_PX };
    y += OVERLAY_PX + LANE_GAP_PX;
    return row;
  });
  const hiddenTop = hidden > 0 ? y : null;
  if (hidden > 0) y += OVERLAY_PX;
  if (overlays.length || hidden > 0) y += 6;
  if (!collapsed) {
    for (const c of classes) {
      lanes.push({ ...c, top: y, height: LANE_PX });
      y += LANE_PX + LANE_GAP_PX;
    }
  }
  return { widthPx, heightPx: y + 4, plotLeft: GUTTER_PX, plotWidth: Math.max(10, widthPx - GUTTER_PX - 8), allTop, lanes, overlays: rows, hiddenTop };
}
