/**
 * The marks of the open captures: restored from IndexedDB when a capture is opened (matched by
 * content, not name), saved on every change, drawn on the timeline.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { OpenedCapture } from '../../session/workspace.ts';
import type { Engine } from '../engine.ts';
import { fingerprintForName, loadMarks, saveMarks } from './marks-storage.ts';
import { RANGE_COLORS, type UiMark, type UiRange } from './MarksPanel.tsx';

interface Known {
  name: string;
  fingerprint: string;
}

export function useMarks(engine: Engine, baseSec: number) {
  const [marks, setMarks] = useState<UiMark[]>([]);
  const [ranges, setRanges] = useState<UiRange[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  /** Fingerprints by capture id, once known; nothing is saved before they are. */
  const known = useRef(new Map<number, Known>());
  const [ready, setReady] = useState(false);

  /** After an open: fingerprint each new capture and bring back what was marked on it. */
  const restore = useCallback(
    async (opened: OpenedCapture[], base: number) => {
      const notices: string[] = [];
      for (const c of opened) {
        if (c.id < 0) continue;
        const fingerprint = await engine.fingerprint(c.id);
        known.current.set(c.id, { name: c.name, fingerprint });
        const saved = await loadMarks(fingerprint);
        const underName = await fingerprintForName(c.name);
        if (!saved && underName && underName !== fingerprint) {
          const other = await loadMarks(underName);
          if (other && (other.marks.length || other.ranges.length)) {
            notices.push(`Marks saved for another file named ${c.name} (different size or content) are not applied to this one.`);
          }
        }
        if (!saved) continue;
        const restored: UiMark[] = [];
        for (const m of saved.marks) {
          const position = await engine.positionOf(c.id, m.frame - 1);
          restored.push({ capture: c.id, captureName: c.name, fingerprint, frame: m.frame, note: m.note, timeSec: await engine.timeOf(position), position });
        }
        setMarks((previous) => [...previous.filter((m) => m.capture !== c.id), ...restored]);
        setRanges((previous) => [...previous, ...saved.ranges.map((r, i) => ({ fromSec: r.from - base, toSec: r.to - base, label: r.label, note: r.note, color: r.color ?? RANGE_COLORS[i % RANGE_COLORS.length] }))]);
        notices.push(`${saved.marks.length} mark${saved.marks.length === 1 ? '' : 's'} and ${saved.ranges.length} range${saved.ranges.length === 1 ? '' : 's'} restored for ${c.name} (saved ${new Date(saved.savedAt).toLocaleString()}).`);
      }
      setNotice(notices.join(' ') || null);
      setReady(true);
    },
    [engine],
  );

  // Saved on every change: marks under their capture's fingerprint, ranges under the first capture's.
  useEffect(() => {
    if (!ready) return;
    const first = [...known.current.keys()].sort((a, b) => a - b)[0];
    for (const [id, k] of known.current) {
      saveMarks(k.fingerprint, {
        name: k.name,
        marks: marks.filter((m) => m.capture === id).map((m) => ({ frame: m.frame, note: m.note })),
        ranges: id === first ? ranges.map((r) => ({ from: baseSec + r.fromSec, to: baseSec + r.toSec, label: r.label, note: r.note, color: r.color })) : [],
        savedAt: new Date().toISOString(),
      });
    }
  }, [marks, ranges, ready, baseSec]);

  /** Ctrl+M: marks the packet at a position, or unmarks it. */
  const toggle = useCallback(
    async (position: number) => {
      const packet = await engine.packetAt(position);
      const k = known.current.get(packet.capture);
      if (!k) return;
      const timeSec = await engine.timeOf(position);
      setMarks((previous) => {
        const exists = previous.some((m) => m.capture === packet.capture && m.frame === packet.frame);
        if (exists) return previous.filter((m) => !(m.capture === packet.capture && m.frame === packet.frame));
        return [...previous, { capture: packet.capture, captureName: k.name, fingerprint: k.fingerprint, frame: packet.frame, note: '', timeSec, position }].sort((a, b) => a.timeSec - b.timeSec);
      });
    },
    [engine],
  );

  /** Marks every packet at these positions (a Shift+click run); those already marked stay. */
  const addAll = useCallback(
    async (positions: number[]) => {
      const added: UiMark[] = [];
      for (const position of positions) {
        const packet = await engine.packetAt(position);
        const k = known.current.get(packet.capture);
        if (!k) continue;
        added.push({ capture: packet.capture, captureName: k.name, fingerprint: k.fingerprint, frame: packet.frame, note: '', timeSec: await engine.timeOf(position), position });
      }
      setMarks((previous) => {
        const have = new Set(previous.map((m) => `${m.capture}/${m.frame}`));
        return [...previous, ...added.filter((m) => !have.has(`${m.capture}/${m.frame}`))].sort((a, b) => a.timeSec - b.timeSec);
      });
    },
    [engine],
  );

  /** The mark after (or before) a time, wrapping around. */
  const step = useCallback(
    (fromSec: number, forward: boolean): UiMark | null => {
      if (marks.length === 0) return null;
      const sorted = [...marks].sort((a, b) => a.timeSec - b.timeSec);
      if (forward) return sorted.find((m) => m.timeSec > fromSec) ?? sorted[0];
      return [...sorted].reverse().find((m) => m.timeSec < fromSec) ?? sorted[sorted.length - 1];
    },
    [marks],
  );

  /** The marks as export picks, their notes as packet comments. */
  const picks = useMemo(() => marks.map((m) => ({ capture: m.capture, row: m.frame - 1, ...(m.note ? { comment: m.note } : {}) })), [marks]);

  return { marks, setMarks, ranges, setRanges, notice, restore, toggle, addAll, step, picks, known: known.current };
}
