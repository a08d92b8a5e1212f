/**
 * How big the workbench's panes are, in CSS px, as the user dragged them: remembered in this
 * browser (safe-storage: a page with site data blocked just forgets). A size never set is
 * null and the pane takes its default; double-clicking a splitter sets it back to null.
 */
import { useSyncExternalStore } from 'react';
import { readJsonSetting, writeSetting } from '../safe-storage.ts';

export interface PaneSizes {
  timelinePx: number | null;
  inspectorPx: number | null;
  sidePx: number | null;
  /** Packet list column widths by column key. */
  columns: Record<string, number>;
}

const KEY = 'pt-pane-sizes';
const NONE: PaneSizes = { timelinePx: null, inspectorPx: null, sidePx: null, columns: {} };

const isSize = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v) && v > 0);
const isSizes = (v: unknown): v is PaneSizes => {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  const columns = s.columns;
  return (
    isSize(s.timelinePx) &&
    isSize(s.inspectorPx) &&
    isSize(s.sidePx) &&
    typeof columns === 'object' &&
    columns !== null &&
    Object.values(columns).every((w) => isSize(w) && w !== null)
  );
};

let sizes: PaneSizes = readJsonSetting(KEY, NONE, isSizes);
const listeners = new Set<() => void>();

export function setPaneSize(change: Partial<PaneSizes>): void {
  sizes = { ...sizes, ...change };
  writeSetting(KEY, JSON.stringify(sizes));
  for (const l of listeners) l();
}

export function setColumnWidth(column: string, widthPx: number | null): void {
  const columns = { ...sizes.columns };
  if (widthPx === null) delete columns[column];
  else columns[column] = widthPx;
  setPaneSize({ columns });
}

export function usePaneSizes(): PaneSizes {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => sizes,
  );
}
