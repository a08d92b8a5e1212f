/** One line of the incident summary, pointing at its packets. */
export type FindingKind =
  | 'repeated-frames'
  | 'arp-unanswered'
  | 'arp-storm'
  | 'arp-conflict'
  | 'lacp-state'
  | 'lacp-missed'
  | 'hsrp-state'
  | 'vrrp-state'
  | 'hsrp-missed'
  | 'vrrp-missed'
  | 'still-receiving'
  | 'vanished';

/** An exact time: whole seconds since the epoch and nanoseconds. */
export interface Instant {
  sec: number;
  ns: number;
}

export interface Finding {
  kind: FindingKind;
  start: Instant;
  end: Instant;
  /** Row (frame - 1) in its capture of the packet that shows it first, and how many packets it covers. */
  firstRow: number;
  frames: number;
  /** What it is about: a host, a port, a group. */
  subject: string;
  /** The sentence an engineer would write. */
  summary: string;
  detail: Record<string, string | number | boolean>;
}

export function before(a: Instant, b: Instant): boolean {
  return a.sec < b.sec || (a.sec === b.sec && a.ns < b.ns);
}

/** Seconds from a to b, as a double: for rates and gaps, never for printing times. */
export function secondsBetween(a: Instant, b: Instant): number {
  return b.sec - a.sec + (b.ns - a.ns) / 1e9;
}

export function byStart(x: Finding, y: Finding): number {
  return before(x.start, y.start) ? -1 : before(y.start, x.start) ? 1 : x.firstRow - y.firstRow;
}
