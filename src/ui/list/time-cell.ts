/** The Time and Delta columns' text. */
import type { TimeMode } from '../timeline/time-labels.ts';

/** The time Relative counts from: the first packet's, exactly (whole seconds and ns). */
export interface TimeOrigin {
  sec: number;
  ns: number;
}

/** `digits` where the capture's resolution is known (the list); else as many as the time needs. */
export function timeCell(tsSec: number, tsNs: number, mode: TimeMode, origin: TimeOrigin, digits?: 6 | 9): string {
  const nsDigits = digits ?? (tsNs % 1000 === 0 && origin.ns % 1000 === 0 ? 6 : 9);
  if (mode === 'relative') return relativeText(tsSec - origin.sec, tsNs - origin.ns, nsDigits);
  const d = new Date(tsSec * 1000);
  const hms = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${hms}.${String(tsNs).padStart(9, '0').slice(0, nsDigits)}`;
}

export function deltaCell(deltaSec: number, digits: 6 | 9): string {
  return deltaSec.toFixed(digits);
}

/** seconds + ns/1e9 in decimals, from integers (a double of the sum is 16 ns off on a 2017 capture). */
function relativeText(sec: number, ns: number, digits: number): string {
  let total = BigInt(sec) * 1_000_000_000n + BigInt(ns);
  const negative = total < 0n;
  if (negative) total = -total;
  const whole = total / 1_000_000_000n;
  const fraction = String(total % 1_000_000_000n)
    .padStart(9, '0')
    .slice(0, digits);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
