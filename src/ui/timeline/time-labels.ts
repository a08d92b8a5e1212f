/**
 * Axis and cursor labels. Wall-clock times are shown in the viewer's local time zone, as
 * Wireshark shows them, with as many fractional digits as the zoom needs (down to ns).
 */
export type TimeMode = 'wall' | 'relative';

/** Digits after the decimal point that make ticks `stepSec` apart distinct. */
export function fractionDigits(stepSec: number): number {
  if (stepSec >= 1) return 0;
  return Math.min(9, Math.ceil(-Math.log10(stepSec) - 1e-9));
}

const DAY_SEC = 86_400;

/**
 * `spanSec`: what the view (or the step between ticks) spans. A day or more puts the date in
 * front, as a view of captures taken days or years apart reads nothing from `00:00:00` alone.
 */
export function timeLabel(t: number, baseSec: number, originSec: number, mode: TimeMode, digits: number, spanSec = 0): string {
  if (mode === 'relative') return `${(t - originSec).toFixed(digits)} s`;
  const whole = Math.floor(t);
  const frac = t - whole;
  const date = new Date((baseSec + whole) * 1000);
  const hms = [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const time = digits ? `${hms}.${frac.toFixed(digits).slice(2)}` : hms;
  return spanSec >= DAY_SEC ? `${ymd(date)} ${time}` : time;
}

/** An axis tick's label: the date alone once ticks are a day or more apart (they fall at midnight). */
export function tickLabel(t: number, baseSec: number, originSec: number, mode: TimeMode, stepSec: number): string {
  if (mode === 'wall' && stepSec >= DAY_SEC) return ymd(new Date((baseSec + Math.floor(t)) * 1000));
  return timeLabel(t, baseSec, originSec, mode, fractionDigits(stepSec));
}

function ymd(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Date and zone, shown once beside the axis. */
export function dateLabel(t: number, baseSec: number): string {
  const date = new Date((baseSec + Math.floor(t)) * 1000);
  const offset = -date.getTimezoneOffset();
  const zone = `UTC${offset >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${ymd(date)} ${zone}`;
}

/** A duration as an engineer reads it: 2.5 s, 340 ms, 1.2 µs. */
export function durationLabel(sec: number): string {
  const abs = Math.abs(sec);
  if (abs >= 1) return `${sec.toFixed(abs >= 100 ? 0 : 3)} s`;
  if (abs >= 1e-3) return `${(sec * 1e3).toFixed(3)} ms`;
  if (abs >= 1e-6) return `${(sec * 1e6).toFixed(3)} µs`;
  return `${(sec * 1e9).toFixed(0)} ns`;
}
