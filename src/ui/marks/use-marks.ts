/**
 * The marks of the open captures: restored from IndexedDB when a capture is opened (matched by
 * content, not name), saved shortly after every change, drawn on the timeline. Placing marks
 * is one worker call however many there are.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { OpenedCapture } from '../../session/contract.ts';
import type { SharedView } from '../../share/view-link.ts';
import { validateSavedMarks } from '../../share/validate-view.ts';
import { sentence } from '../../share/view-json.ts';
import type { Engine } from '../engine.ts';
import { added, byTime, kept, noted, RANGE_COLORS, removed, savedSets, toggled, type KnownCapture, type UiMark, type UiRange } from './mark-set.ts';
import { fingerprintForName, loadMarks, saveMarks } from './marks-storage.ts';

/** Saves wait this long after a change, so typing a note does not write 100,000 marks per key. */
const SAVE_DELAY_MS = 300;

type Placed = { capture: number; frame: number; note: string }[];

export function useMarks(engine: Engine, baseSec: number) {
  const [marks, setMarks] = useState<UiMark[]>([]);
  const [ranges, setRanges] = useState<UiRange[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  /** Why marks are not being kept in this browser, or null while they are. */
  const [storageProblem, setStorageProblem] = useState<string | null>(null);
  /** Fingerprints by capture id, once known; nothing is saved before they are. */
  const known = useRef(new Map<number, KnownCapture>());
  const [ready, setReady] = useState(false);
  /** The marks and ranges last written: equal to the current ones once they are saved (the page's idle signal). */
  const [written, setWritten] = useState<{ marks: UiMark[]; ranges: UiRange[] } | null>(null);

  /** Marks for (capture, frame) pairs, placed in one call; pairs naming no packet are counted, not kept. */
  const place = useCallback(
    async (wanted: Placed, fromView: boolean): Promise<{ placed: UiMark[]; missing: number }> => {
      const captures = Uint32Array.from(wanted, (w) => w.capture);
      const rows = Uint32Array.from(wanted, (w) => Math.max(0, Math.min(0xffffffff, w.frame - 1)));
      const { positions, timesSec } = await engine.placeRows(captures, rows);
      const placed: UiMark[] = [];
      wanted.forEach((w, i) => {
        const k = known.current.get(w.capture);
        if (positions[i] < 0 || !k) return;
        placed.push({ capture: w.capture, captureName: k.name, fingerprint: k.fingerprint, frame: w.frame, note: w.note, timeSec: timesSec[i], position: positions[i], ...(fromView ? { fromView } : {}) });
      });
      return { placed, missing: wanted.length - placed.length };
    },
    [engine],
  );

  /** The open copies of a capture's file (itself included). */
  const copiesOf = (capture: number): number[] => {
    const fingerprint = known.current.get(capture)?.fingerprint;
    return [...known.current].filter(([, k]) => k.fingerprint === fingerprint).map(([id]) => id);
  };

  /** After an open: fingerprint each new capture and bring back what was marked on it. */
  const restore = useCallback(
    async (opened: OpenedCapture[], base: number) => {
      const notices: string[] = [];
      const problems: string[] = [];
      for (const c of opened) {
        if (c.id < 0) continue;
        const fingerprint = await engine.fingerprint(c.id);
        const copyOf = [...known.current].find(([id, k]) => id !== c.id && k.fingerprint === fingerprint);
        known.current.set(c.id, { name: c.name, fingerprint });
        if (copyOf) {
          // A second copy of an open file shares its marks (the live ones, not the last save).
          const { placed } = await place(
            marksRef.current.filter((m) => m.capture === copyOf[0]).map((m) => ({ capture: c.id, frame: m.frame, note: m.note })),
            false,
          );
          setMarks((previous) => added(previous.filter((m) => m.capture !== c.id), placed));
          notices.push(`${c.name} is open twice; both copies share one set of marks.`);
          continue;
        }
        const loaded = await loadMarks(fingerprint);
        if (!loaded.ok) {
          problems.push(loaded.problem);
          continue;
        }
        if (loaded.value === undefined) {
          const underName = await fingerprintForName(c.name);
          if (underName && underName !== fingerprint) notices.push(`Marks saved for another file named ${c.name} (different size or content) are not applied to this one.`);
          continue;
        }
        // Read back through the same validator as a link: storage is outside this page's run.
        const checked = validateSavedMarks(loaded.value);
        if (!checked.ok) {
          notices.push(`The marks saved in this browser for ${c.name} could not be read: ${checked.error}.`);
          continue;
        }
        const { saved } = checked;
        notices.push(...checked.notices.map(sentence));
        const { placed, missing } = await place(saved.marks.map((m) => ({ capture: c.id, frame: m.frame, note: m.note })), false);
        setMarks((previous) => added(previous.filter((m) => m.capture !== c.id), placed));
        setRanges((previous) => [...previous, ...saved.ranges.map((r, i) => ({ fromSec: r.from - base, toSec: r.to - base, label: r.label, note: r.note, color: r.color ?? RANGE_COLORS[i % RANGE_COLORS.length] }))]);
        const savedAt = saved.savedAt && !Number.isNaN(Date.parse(saved.savedAt)) ? ` (saved ${new Date(saved.savedAt).toLocaleString()})` : '';
        notices.push(`${plural(placed.length, 'mark')} and ${plural(saved.ranges.length, 'range')} restored for ${c.name}${savedAt}.`);
        if (missing) notices.push(`${plural(missing, 'saved mark')} named frames this file does not have and were left out.`);
      }
      if (problems.length) setStorageProblem(problems[0]);
      setNotice(notices.join(' ') || null);
      setReady(true);
    },
    [engine, place],
  );

  const marksRef = useRef(marks);
  marksRef.current = marks;

  // Saved shortly after every change: per file content, the user's own marks; ranges under the first capture's.
  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(async () => {
      for (const [fingerprint, saved] of savedSets(marks, ranges, known.current, baseSec, new Date().toISOString())) {
        const outcome = await saveMarks(fingerprint, saved);
        if (!outcome.ok) return setStorageProblem(outcome.problem);
      }
      setStorageProblem(null);
      setWritten({ marks, ranges });
    }, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [marks, ranges, ready, baseSec]);

  /** Ctrl+M: marks the packet at a position (in every open copy of its file), or unmarks it. */
  const toggle = useCallback(
    async (position: number) => {
      const packet = await engine.packetAt(position);
      const { placed } = await place(copiesOf(packet.capture).map((capture) => ({ capture, frame: packet.frame, note: '' })), false);
      setMarks((previous) => toggled(previous, placed));
    },
    [engine, place],
  );

  /** Marks every packet of list rows [from, to) (a Shift+click run); those already marked stay. */
  const addRun = useCallback(
    async (from: number, to: number) => {
      const run = await engine.listPicks(from, to);
      const wanted: Placed = [];
      for (let i = 0; i < run.rows.length; i++) for (const capture of copiesOf(run.captures[i])) wanted.push({ capture, frame: run.rows[i] + 1, note: '' });
      const { placed } = await place(wanted, false);
      setMarks((previous) => added(previous, placed));
    },
    [engine, place],
  );

  /**
   * A shared view's marks and ranges (already validated), its capture indices mapped to open captures:
   * added to the user's own, as the view's until kept. Says what could not be placed.
   */
  const applyView = useCallback(
    async (view: SharedView, captureOf: (c: number) => number, base: number, notices: string[]) => {
      const { placed, missing } = await place(view.marks.map((m) => ({ capture: captureOf(m.c), frame: m.frame, note: m.note })), true);
      setMarks((previous) => added(previous, placed));
      setRanges((previous) => [...previous, ...view.ranges.map((r, i) => ({ fromSec: r.from - base, toSec: r.to - base, label: r.label, note: r.note, color: r.color ?? RANGE_COLORS[(previous.length + i) % RANGE_COLORS.length], fromView: true }))]);
      const lines = [...notices];
      if (missing) lines.push(`${plural(missing, 'of the view’s marks', 'of the view’s marks')} named frames the open captures do not have and ${missing === 1 ? 'was' : 'were'} left out.`);
      setNotice(lines.join(' ') || null);
    },
    [place],
  );

  const keepViewMarks = useCallback(() => {
    setMarks(kept);
    setRanges(kept);
  }, []);

  /** The mark after (or before) a time, wrapping around. */
  const step = useCallback(
    (fromSec: number, forward: boolean): UiMark | null => {
      if (marks.length === 0) return null;
      const sorted = [...marks].sort(byTime);
      if (forward) return sorted.find((m) => m.timeSec > fromSec) ?? sorted[0];
      return [...sorted].reverse().find((m) => m.timeSec < fromSec) ?? sorted[sorted.length - 1];
    },
    [marks],
  );

  /** The marks as export picks, their notes as packet comments. */
  const picks = useMemo(() => marks.map((m) => ({ capture: m.capture, row: m.frame - 1, ...(m.note ? { comment: m.note } : {}) })), [marks]);
  const fromView = marks.filter((m) => m.fromView).length + ranges.filter((r) => r.fromView).length;

  const saved = !ready || (written?.marks === marks && written.ranges === ranges);

  return {
    saved, marks, setMarks, ranges, setRanges, notice, storageProblem, fromView, restore, toggle, addRun, applyView, keepViewMarks, step, picks,
    setNote: (m: UiMark, note: string) => setMarks((all) => noted(all, m, note)),
    remove: (m: UiMark) => setMarks((all) => removed(all, m)),
    known: known.current,
  };
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
