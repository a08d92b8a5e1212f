/// <reference lib="webworker" />
/**
 * The ingest worker: parses dropped files into the store and answers the page's questions,
 * exactly the calls of the session's contract (src/session/contract.ts). Thin on purpose:
 * all logic lives in src/session/, which the tests run in Node; here answers only get their
 * buffers transferred rather than copied.
 */
import { expose, transfer } from 'comlink';
import type { SessionApi } from '../src/session/contract.ts';
import { Workspace } from '../src/session/workspace.ts';
import { chunkReaderInWorker } from './chunk-reader-client.ts';

const workspace = new Workspace(chunkReaderInWorker());

/** The typed arrays' buffers of an answer, handed over instead of copied. */
const moved = <T>(answer: T, arrays: ArrayBufferView[]): T =>
  transfer(
    answer,
    arrays.map((a) => a.buffer as ArrayBuffer),
  );

const api = {
  open: (files, onProgress, chunkBytes) => workspace.open(files, onProgress, chunkBytes),
  closeCapture: (id) => workspace.closeCapture(id),
  closeAll: () => workspace.closeAll(),
  stats: () => workspace.stats(),
  overview: () => workspace.overview(),
  fingerprint: (capture) => workspace.fingerprint(capture),
  setClockOffset: (capture, seconds) => workspace.setClockOffset(capture, seconds),
  timeline: (fromSec, toSec, binCount, maxTicks) => {
    const answer = workspace.timeline(fromSec, toSec, binCount, maxTicks);
    const { ticks } = answer;
    return moved(answer, [
      answer.total,
      answer.laneCounts,
      ...(answer.captureCounts ? [answer.captureCounts] : []),
      ...(ticks ? [ticks.time, ticks.cls, ticks.position, ticks.point] : []),
    ]);
  },
  overlays: async () => {
    const lanes = await workspace.overlays();
    return moved(
      lanes,
      lanes.flatMap((l) => [l.ticks, l.tickKinds]),
    );
  },
  findings: () => workspace.findings(),
  listRows: (first, count, listStart) => workspace.listRows(first, count, listStart),
  indexRange: (fromSec, toSec) => workspace.indexRange(fromSec, toSec),
  indexOf: (position) => workspace.indexOf(position),
  nearest: (t) => workspace.nearest(t),
  select: async (target, options) => {
    const selection = await workspace.select(target, options);
    return selection && moved(selection, [selection.bytes]);
  },
  packetSlice: async (position, fromByte, lengthBytes) => {
    const bytes = await workspace.packetSlice(position, fromByte, lengthBytes);
    return moved(bytes, [bytes]);
  },
  placeRows: (captures, rows) => {
    const placed = workspace.placeRows(captures, rows);
    return moved(placed, [placed.positions, placed.timesSec, placed.tsSec, placed.tsNs]);
  },
  markRun: async (fromIndex, toIndex, options) => {
    const run = await workspace.markRun(fromIndex, toIndex, options);
    return moved(run, [run.captures, run.rows, run.positions, run.timesSec, run.tsSec, run.tsNs]);
  },
  applyFilter: (text) => workspace.applyFilter(text),
  excluding: (current, clause) => workspace.excluding(current, clause),
  conversations: (kind, by) => workspace.conversations(kind, by),
  exportBlob: (format, from, to, onProgress, file) => workspace.exportBlob(format, from, to, onProgress, file),
  exportPicks: (format, picks, ranges, onProgress, file) => workspace.exportPicks(format, picks, ranges, onProgress, file),
  exportBundle: (marks, ranges, view, onProgress, file) => workspace.exportBundle(marks, ranges, view, onProgress, file),
} satisfies SessionApi;

expose(api);
