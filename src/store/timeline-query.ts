/**
 * What the timeline draws for a window: packets per time bin for all packets and per
 * protocol class (lanes), and, once few enough packets are in view, each packet itself.
 * Times are seconds since the workspace base (see merged-order.ts).
 */
import type { Capture } from './capture.ts';
import { CLASS_COUNT, classOfRow, countBelow, type ClassIndex } from './class-index.ts';
import type { MergedOrder } from './merged-order.ts';
import { lowerBound as firstAtOrAbove } from './search.ts';
import { lowerBound } from './time-search.ts';

export interface TimelineCapture {
  capture: Capture;
  offsetSec: number;
  /** Null while the capture is still being read. */
  classIndex: ClassIndex | null;
}

export interface TimelineAnswer {
  fromSec: number;
  toSec: number;
  total: Uint32Array;
  /** Protocol class ids with packets in the window, and their counts per bin, class after class. */
  lanes: number[];
  laneCounts: Uint32Array;
  /** When at most maxTicks packets are in the window: their times, classes and positions. */
  ticks: { time: Float64Array; cls: Uint8Array; position: Uint32Array; point: Uint8Array } | null;
  /** With a filter, `total` counts every packet (drawn faint behind) and lanes only the matches. */
  filtered: boolean;
  /**
   * With several capture points (captures, or the interfaces of a pcapng that has several):
   * their names, and packets per bin of each, point after point (a lane each).
   */
  pointNames: string[];
  captureCounts: Uint32Array | null;
}

/** A capture point: a whole capture, or one interface of a capture that has several. */
interface Point {
  capture: number;
  iface: number | null;
  name: string;
}

function pointsOf(captures: TimelineCapture[]): Point[] {
  return captures.flatMap((c, capture): Point[] =>
    c.capture.interfaces.length > 1
      ? c.capture.interfaces.map((info, iface) => ({ capture, iface, name: `${c.capture.name} · ${info.name ?? `interface ${iface}`}` }))
      : [{ capture, iface: null, name: c.capture.name }],
  );
}

export function timelineAnswer(
  captures: TimelineCapture[],
  order: MergedOrder,
  fromSec: number,
  toSec: number,
  binCount: number,
  maxTicks: number,
  matches: Uint32Array | null = null,
): TimelineAnswer {
  const perClass = new Uint32Array(CLASS_COUNT * binCount);
  const width = (toSec - fromSec) / binCount;
  if (width > 0) for (const c of captures) (c.classIndex ? binIndexed : binScanning)(c, fromSec - c.offsetSec, width, binCount, perClass);
  const points = pointsOf(captures);
  const pointNames = points.length > 1 ? points.map((p) => p.name) : [];
  if (matches)
    return {
      ...filteredAnswer(captures, order, fromSec, toSec, binCount, maxTicks, matches, perClass, points),
      pointNames,
      captureCounts: captureCounts(captures, points, order, fromSec, width, binCount, matches),
    };
  const total = new Uint32Array(binCount);
  const lanes: number[] = [];
  for (let cls = 0; cls < CLASS_COUNT; cls++) {
    let any = 0;
    for (let b = 0; b < binCount; b++) {
      total[b] += perClass[cls * binCount + b];
      any |= perClass[cls * binCount + b];
    }
    if (any) lanes.push(cls);
  }
  const laneCounts = new Uint32Array(lanes.length * binCount);
  for (const [i, cls] of lanes.entries()) laneCounts.set(perClass.subarray(cls * binCount, (cls + 1) * binCount), i * binCount);
  return {
    fromSec,
    toSec,
    total,
    lanes,
    laneCounts,
    ticks: ticksIn(captures, points, order, fromSec, toSec, maxTicks),
    filtered: false,
    pointNames,
    captureCounts: captureCounts(captures, points, order, fromSec, width, binCount, null),
  };
}

/** The lane (point index) of a row: its capture's, or its interface's when the capture has several. */
function pointIndexer(captures: TimelineCapture[], points: Point[]): (capture: number, row: number) => number {
  const firstPoint = captures.map((_, c) => points.findIndex((p) => p.capture === c));
  return (capture, row) => firstPoint[capture] + (points[firstPoint[capture]].iface === null ? 0 : captures[capture].capture.store.iface[row]);
}

/**
 * Per point and bin: a whole capture by binary search of its own time order; the interfaces of
 * one that has several by counting its rows in the window; the matches of a filter counted.
 */
function captureCounts(
  captures: TimelineCapture[],
  points: Point[],
  order: MergedOrder,
  fromSec: number,
  width: number,
  binCount: number,
  matches: Uint32Array | null,
): Uint32Array | null {
  if (points.length < 2 || !(width > 0)) return null;
  const counts = new Uint32Array(points.length * binCount);
  const pointOf = pointIndexer(captures, points);
  if (matches) {
    const first = firstAtOrAbove(matches, order.lowerBound(fromSec));
    const end = firstAtOrAbove(matches, order.lowerBound(fromSec + width * binCount));
    for (let i = first; i < end; i++) {
      const p = matches[i];
      const bin = Math.min(binCount - 1, Math.floor((order.time(p) - fromSec) / width));
      counts[pointOf(order.captureAt(p), order.rowAt(p)) * binCount + bin]++;
    }
    return counts;
  }
  captures.forEach((c, i) => {
    const { store } = c.capture;
    const split = c.capture.interfaces.length > 1;
    let below = lowerBound(store, fromSec - c.offsetSec);
    for (let b = 0; b < binCount; b++) {
      const next = lowerBound(store, fromSec - c.offsetSec + width * (b + 1));
      if (!split) counts[pointOf(i, 0) * binCount + b] = next - below;
      else for (let k = below; k < next; k++) counts[pointOf(i, store.rowAt(k)) * binCount + b]++;
      below = next;
    }
  });
  return counts;
}

/** Lanes from the matching packets in the window (one pass over them), total from all. */
function filteredAnswer(
  captures: TimelineCapture[],
  order: MergedOrder,
  fromSec: number,
  toSec: number,
  binCount: number,
  maxTicks: number,
  matches: Uint32Array,
  all: Uint32Array,
  points: Point[],
): Omit<TimelineAnswer, 'pointNames' | 'captureCounts'> {
  const total = new Uint32Array(binCount);
  for (let cls = 0; cls < CLASS_COUNT; cls++) for (let b = 0; b < binCount; b++) total[b] += all[cls * binCount + b];
  const first = firstAtOrAbove(matches, order.lowerBound(fromSec));
  const end = firstAtOrAbove(matches, order.lowerBound(toSec));
  const perClass = new Uint32Array(CLASS_COUNT * binCount);
  const width = (toSec - fromSec) / binCount;
  for (let i = first; i < end; i++) {
    const p = matches[i];
    const bin = Math.min(binCount - 1, Math.floor((order.time(p) - fromSec) / width));
    perClass[classOfRow(captures[order.captureAt(p)].capture, order.rowAt(p)) * binCount + bin]++;
  }
  const lanes: number[] = [];
  for (let cls = 0; cls < CLASS_COUNT; cls++) if (perClass.subarray(cls * binCount, (cls + 1) * binCount).some((n) => n > 0)) lanes.push(cls);
  const laneCounts = new Uint32Array(lanes.length * binCount);
  for (const [i, cls] of lanes.entries()) laneCounts.set(perClass.subarray(cls * binCount, (cls + 1) * binCount), i * binCount);
  let ticks: TimelineAnswer['ticks'] = null;
  if (end - first <= maxTicks) {
    const n = end - first;
    ticks = { time: new Float64Array(n), cls: new Uint8Array(n), position: new Uint32Array(n), point: new Uint8Array(n) };
    const pointOf = pointIndexer(captures, points);
    for (let i = 0; i < n; i++) {
      const p = matches[first + i];
      ticks.point[i] = pointOf(order.captureAt(p), order.rowAt(p));
      ticks.time[i] = order.time(p);
      ticks.cls[i] = classOfRow(captures[order.captureAt(p)].capture, order.rowAt(p));
      ticks.position[i] = p;
    }
  }
  return { fromSec, toSec, total, lanes, laneCounts, ticks, filtered: true };
}

/** Bin edges as positions in the capture's time order, then per class by integer search. */
function binIndexed(c: TimelineCapture, fromSec: number, width: number, binCount: number, perClass: Uint32Array): void {
  const store = c.capture.store;
  const index = c.classIndex!;
  const edges = new Uint32Array(binCount + 1);
  for (let b = 0; b <= binCount; b++) edges[b] = lowerBound(store, fromSec + width * b);
  if (edges[0] === edges[binCount]) return;
  for (let cls = 0; cls < CLASS_COUNT; cls++) {
    if (index.starts[cls] === index.starts[cls + 1]) continue;
    let below = countBelow(index, cls, edges[0]);
    for (let b = 0; b < binCount; b++) {
      const next = countBelow(index, cls, edges[b + 1]);
      perClass[cls * binCount + b] += next - below;
      below = next;
    }
  }
}

/** Above this many packets, a capture still being read is drawn from an even sample. */
const PREVIEW_SAMPLE = 1_000_000;

/**
 * While a capture is being read it has no time order yet: one pass over what was read, or
 * over every k-th packet (counts scaled by k) once that is large, so that the preview the
 * viewer asks for every second costs the ingest little. Exact counts come when it ends.
 */
function binScanning(c: TimelineCapture, fromSec: number, width: number, binCount: number, perClass: Uint32Array): void {
  const { store } = c.capture;
  const step = Math.max(1, Math.ceil(store.length / PREVIEW_SAMPLE));
  for (let row = 0; row < store.length; row += step) {
    const bin = Math.floor((store.relSeconds(row) - fromSec) / width);
    if (bin >= 0 && bin < binCount) perClass[classOfRow(c.capture, row) * binCount + bin] += step;
  }
}

function ticksIn(captures: TimelineCapture[], points: Point[], order: MergedOrder, fromSec: number, toSec: number, maxTicks: number): TimelineAnswer['ticks'] {
  const first = order.lowerBound(fromSec);
  const end = order.lowerBound(toSec);
  if (end - first > maxTicks) return null;
  const n = end - first;
  const ticks = { time: new Float64Array(n), cls: new Uint8Array(n), position: new Uint32Array(n), point: new Uint8Array(n) };
  const pointOf = pointIndexer(captures, points);
  for (let i = 0; i < n; i++) {
    const p = first + i;
    ticks.point[i] = pointOf(order.captureAt(p), order.rowAt(p));
    ticks.time[i] = order.time(p);
    ticks.cls[i] = classOfRow(captures[order.captureAt(p)].capture, order.rowAt(p));
    ticks.position[i] = p;
  }
  return ticks;
}
