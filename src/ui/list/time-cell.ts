/** The Time and Delta columns' text. */
import type { TimeMode } from '../timeline/time-labels.ts';

export function timeCell(tsSec: number, tsNs: number, mode: TimeMode, originAbsSec: number): string {
  const nsDigits = tsNs % 1000 === 0 ? 6 : 9;
  if (mode === 'relative') return (tsSec - originAbsSec + tsNs / 1e9).toFixed(nsDigits);
  const d = new Date(tsSec * 1000);
  const hms = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${hms}.${String(tsNs).padStart(9, '0').slice(0, nsDigits)}`;
}

export function deltaCell(deltaSec: number): string {
  return deltaSec.toFixed(deltaSec !== 0 && Math.abs(deltaSec) < 1e-6 ? 9 : 6);
}
