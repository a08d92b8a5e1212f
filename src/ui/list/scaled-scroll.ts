/**
 * Browsers cap an element's height (~33 million px in Chromium), far below 10 M rows of
 * 22 px. Up to a cap the scroll height is exact; beyond it, scroll positions map to rows
 * proportionally, so the scrollbar still spans the whole list.
 */
export const ROW_PX = 22;
const MAX_SCROLL_PX = 8_000_000;

export function scrollHeightPx(rows: number): number {
  return Math.min(rows * ROW_PX, MAX_SCROLL_PX);
}

export function firstRowAt(scrollTop: number, rows: number, viewportPx: number): number {
  const visible = Math.floor(viewportPx / ROW_PX);
  if (rows * ROW_PX <= MAX_SCROLL_PX) return Math.floor(scrollTop / ROW_PX);
  const maxScroll = MAX_SCROLL_PX - viewportPx;
  return Math.min(rows - visible, Math.round((scrollTop / Math.max(1, maxScroll)) * (rows - visible)));
}

export function scrollTopFor(firstRow: number, rows: number, viewportPx: number): number {
  const visible = Math.floor(viewportPx / ROW_PX);
  if (rows * ROW_PX <= MAX_SCROLL_PX) return firstRow * ROW_PX;
  return (firstRow / Math.max(1, rows - visible)) * (MAX_SCROLL_PX - viewportPx);
}
