/** The shapes the bench parts return, and the arithmetic every figure shares. */

export interface Figure {
  name: string;
  wallMs: number;
  /** Bytes of the capture handled, for MB/s (MB = 10^6 bytes). */
  bytes?: number;
  /** Packets handled, for packets/s; left out where the tool does not parse packets. */
  packets?: number;
  note: string;
}

/** A figure the issue sets a target for. */
export interface Check {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

export const mbPerSec = (f: Figure): number | undefined => (f.bytes === undefined ? undefined : f.bytes / 1e6 / (f.wallMs / 1000));
export const packetsPerSec = (f: Figure): number | undefined => (f.packets === undefined ? undefined : f.packets / (f.wallMs / 1000));

export function atMost(name: string, value: number, limit: number, unit = ''): Check {
  // A ratio's limit reads 1.0, not 1.
  const shown = Number.isInteger(limit) && limit < 10 ? limit.toFixed(1) : String(limit);
  return { name, value, unit, target: `<= ${shown}${unit ? ` ${unit}` : ''}`, pass: value <= limit };
}

export const MiB = 1024 * 1024;
export const ms = (n: number): string => `${n.toFixed(0)} ms`;

/** Timings of one kind, in ms: how many, and their median, 95th percentile (nearest rank) and largest. */
export interface Samples {
  n: number;
  median: number;
  p95: number;
  max: number;
}

export function samples(values: number[]): Samples {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, median: NaN, p95: NaN, max: NaN };
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { n, median, p95: sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)], max: sorted[n - 1] };
}

/** A row of the viewer's section: a single time or the spread of many, against its target if it has one. */
export interface ViewerFigure {
  name: string;
  value: Samples;
  /** e.g. '< 16 ms (median)'; none for a figure shown for context. */
  target?: string;
  pass?: boolean;
  how: string;
}
