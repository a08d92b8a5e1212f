/**
 * The packet list's columns and their widths. A column is as wide as its longest content
 * in the list's monospace font (a whole nanosecond time, a MAC address), counted in
 * characters, unless the user dragged it; Info takes the rest.
 */
import type { TimeMode } from '../timeline/time-labels.ts';

export interface Column {
  key: string;
  title: string;
}

export const COLUMNS: readonly Column[] = [
  { key: 'no', title: 'No.' },
  { key: 'time', title: 'Time' },
  { key: 'delta', title: 'Delta' },
  { key: 'vlan', title: 'VLAN' },
  { key: 'src', title: 'Source' },
  { key: 'dst', title: 'Destination' },
  { key: 'proto', title: 'Protocol' },
  { key: 'len', title: 'Length' },
  { key: 'info', title: 'Info' },
];

/** Each cell's right padding (app.css .packet-row > span). */
export const CELL_PAD_PX = 8;
export const MIN_COLUMN_PX = 28;
const MIN_INFO_PX = 200;

/**
 * Characters a column needs: the frame number (and a capture's colour dot when merged),
 * "HH:MM:SS.nnnnnnnnn" or a relative time of up to a day in seconds, a delta of up to
 * 1,000 s, a Q-in-Q pair of VLAN ids, a MAC or IPv4 address, a protocol name.
 */
export function contentChars(key: string, packets: number, mode: TimeMode, merged: boolean): number {
  switch (key) {
    case 'no':
      return Math.max(4, String(packets).length) + (merged ? 2 : 0);
    case 'time':
      return mode === 'wall' ? 18 : 15;
    case 'delta':
      return 13;
    case 'vlan':
      return 9;
    case 'src':
    case 'dst':
      return 17;
    case 'proto':
      return 8;
    case 'len':
      return 6;
    default:
      return 0;
  }
}

/** The list's CSS grid columns: dragged widths where there are, content widths elsewhere. */
export function gridColumns(charPx: number, dragged: Record<string, number>, packets: number, mode: TimeMode, merged: boolean): string {
  return COLUMNS.map(({ key }) => {
    if (key === 'info') return dragged.info ? `${dragged.info}px` : `minmax(${MIN_INFO_PX}px, 1fr)`;
    const px = dragged[key] ?? Math.ceil(contentChars(key, packets, mode, merged) * charPx) + CELL_PAD_PX + 2;
    return `${px}px`;
  }).join(' ');
}
