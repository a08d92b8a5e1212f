/**
 * The rules of the marks, as plain functions over plain values (Node tests them):
 * a mark is a frame of a capture's content (its fingerprint), so two open copies of one file
 * share one set; marks that came with a shared view or bundle stay the view's (not saved)
 * until the user keeps them.
 */
import type { SavedMarks } from './marks-storage.ts';

export interface UiMark {
  capture: number;
  captureName: string;
  fingerprint: string;
  frame: number;
  note: string;
  /** Seconds since the workspace base, and the merged position, for drawing and jumping. */
  timeSec: number;
  position: number;
  /** The packet's placed time (its clock offset included), exactly: what the panel prints. */
  time: { sec: number; ns: number };
  /** Came with a shared link or bundle: shown and exported, not saved until kept. */
  fromView?: boolean;
}

export interface UiRange {
  fromSec: number;
  toSec: number;
  label: string;
  note: string;
  color: string;
  fromView?: boolean;
}

export interface KnownCapture {
  name: string;
  fingerprint: string;
}

export const RANGE_COLORS = ['#8250df', '#cf222e', '#1a7f37', '#bf8700', '#0969da'];

/** The same mark: the same frame of the same content, whichever open copy shows it. */
export function sameMark(a: Pick<UiMark, 'fingerprint' | 'frame'>, b: Pick<UiMark, 'fingerprint' | 'frame'>): boolean {
  return a.fingerprint === b.fingerprint && a.frame === b.frame;
}

export function byTime(a: UiMark, b: UiMark): number {
  return a.timeSec - b.timeSec || a.capture - b.capture;
}

/**
 * Marks `copies` (the one frame in every open copy of its file) or, when it is marked
 * already, unmarks it everywhere.
 */
export function toggled(marks: UiMark[], copies: UiMark[]): UiMark[] {
  if (copies.length === 0) return marks;
  if (marks.some((m) => sameMark(m, copies[0]))) return marks.filter((m) => !sameMark(m, copies[0]));
  return [...marks, ...copies].sort(byTime);
}

/** Adds marks not there yet (by capture and frame); those already marked keep their notes. */
export function added(marks: UiMark[], more: UiMark[]): UiMark[] {
  const have = new Set(marks.map((m) => `${m.capture}/${m.frame}`));
  const fresh = more.filter((m) => {
    const key = `${m.capture}/${m.frame}`;
    if (have.has(key)) return false;
    have.add(key);
    return true;
  });
  return fresh.length ? [...marks, ...fresh].sort(byTime) : marks;
}

/** A note edited on one copy is the note of every copy. */
export function noted(marks: UiMark[], mark: UiMark, note: string): UiMark[] {
  return marks.map((m) => (sameMark(m, mark) ? { ...m, note } : m));
}

export function removed(marks: UiMark[], mark: UiMark): UiMark[] {
  return marks.filter((m) => !sameMark(m, mark));
}

/** The view's marks and ranges become the user's own (saved from now on). */
export function kept<T extends { fromView?: boolean }>(items: T[]): T[] {
  return items.map((x) => (x.fromView ? { ...x, fromView: false } : x));
}

/**
 * What is saved, per fingerprint: the user's own marks (one per frame, however many copies
 * are open), and the user's own ranges under the first capture's fingerprint.
 */
export function savedSets(marks: UiMark[], ranges: UiRange[], known: Map<number, KnownCapture>, baseSec: number, savedAt: string): Map<string, SavedMarks> {
  const sets = new Map<string, SavedMarks>();
  const first = [...known.keys()].sort((a, b) => a - b)[0];
  for (const [id, k] of known) {
    if (!sets.has(k.fingerprint)) sets.set(k.fingerprint, { name: k.name, marks: [], ranges: [], savedAt });
    if (id === first) {
      sets.get(k.fingerprint)!.ranges = ranges
        .filter((r) => !r.fromView)
        .map((r) => ({ from: baseSec + r.fromSec, to: baseSec + r.toSec, label: r.label, note: r.note, color: r.color }));
    }
  }
  const seen = new Set<string>();
  for (const m of marks) {
    const key = `${m.fingerprint}/${m.frame}`;
    const set = sets.get(m.fingerprint);
    if (m.fromView || !set || seen.has(key)) continue;
    seen.add(key);
    set.marks.push({ frame: m.frame, note: m.note });
  }
  return sets;
}

/**
 * The marks as the CLI's marks file (`export --marks FILE.json`): a way to keep them when
 * the browser will not, and to export the same packets from the command line.
 */
export function marksFileText(marks: UiMark[], ranges: UiRange[], baseSec: number): string {
  const epoch = (sec: number) => (baseSec + sec).toFixed(6);
  return JSON.stringify(
    {
      marks: marks.map((m) => ({ file: m.captureName, frame: m.frame, note: m.note })),
      ranges: ranges.map((r) => ({ from: epoch(r.fromSec), to: epoch(r.toSec), label: r.label, note: r.note })),
    },
    null,
    1,
  );
}
