/// <reference lib="webworker" />
/**
 * The ingest worker: parses dropped files into the store and answers the UI's questions.
 * Thin on purpose: all logic lives in src/session/workspace.ts, which the tests run in Node.
 */
import { expose, transfer } from 'comlink';
import type { ConversationKind } from '../src/analysis/conversations.ts';
import { Workspace, type IngestProgress } from '../src/session/workspace.ts';
import { chunkReaderInWorker } from './chunk-reader-client.ts';

const workspace = new Workspace(chunkReaderInWorker());

const api = {
  open: (files: File[], onProgress: (p: IngestProgress) => void, chunkBytes?: number) => workspace.open(files, onProgress, chunkBytes),
  cancel: () => workspace.cancel(),
  closeAll: () => workspace.closeAll(),
  stats: () => workspace.stats(),
  overview: () => workspace.overview(),
  timeline: (fromSec: number, toSec: number, binCount: number, maxTicks: number) => {
    const answer = workspace.timeline(fromSec, toSec, binCount, maxTicks);
    const buffers = [
      answer.total.buffer,
      answer.laneCounts.buffer,
      ...(answer.captureCounts ? [answer.captureCounts.buffer] : []),
      ...(answer.ticks ? [answer.ticks.time.buffer, answer.ticks.cls.buffer, answer.ticks.position.buffer, answer.ticks.point.buffer] : []),
    ];
    return transfer(answer, buffers as ArrayBuffer[]);
  },
  indexRange: (fromSec: number, toSec: number) => workspace.indexRange(fromSec, toSec),
  indexOf: (position: number) => workspace.indexOf(position),
  positionAt: (index: number) => workspace.positionAt(index),
  applyFilter: (text: string) => workspace.applyFilter(text),
  conversations: (kind: ConversationKind, by: 'packets' | 'bytes') => workspace.conversations(kind, by),
  excluding: (current: string, clause: string) => workspace.excluding(current, clause),
  findings: () => workspace.findings(),
  exportBlob: (...args: Parameters<Workspace['exportBlob']>) => workspace.exportBlob(...args),
  exportPicks: (...args: Parameters<Workspace['exportPicks']>) => workspace.exportPicks(...args),
  exportBundle: (...args: Parameters<Workspace['exportBundle']>) => workspace.exportBundle(...args),
  cancelExport: () => workspace.cancelExport(),
  positionOf: (capture: number, row: number) => workspace.positionOf(capture, row),
  fingerprint: (capture: number) => workspace.fingerprint(capture),
  seenAt: (position: number, ignoreAddresses: boolean) => workspace.seenAt(position, ignoreAddresses),
  setClockOffset: (capture: number, seconds: number) => workspace.setClockOffset(capture, seconds),
  overlays: async () => {
    const lanes = await workspace.overlays();
    return transfer(lanes, lanes.flatMap((l) => [l.ticks.buffer, l.tickKinds.buffer]) as ArrayBuffer[]);
  },
  nearest: (t: number) => workspace.nearest(t),
  timeOf: (position: number) => workspace.timeOf(position),
  details: (position: number) => workspace.details(position),
  listRows: (first: number, count: number, listStart: number) => workspace.listRows(first, count, listStart),
  packetAt: async (position: number) => {
    const packet = await workspace.packetAt(position);
    return transfer(packet, [packet.bytes.buffer as ArrayBuffer]);
  },
  packetBytes: async (id: number, row: number) => {
    const bytes = await workspace.packetBytes(id, row);
    return transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  packetSlice: async (position: number, fromByte: number, lengthBytes: number) => {
    const bytes = await workspace.packetSlice(position, fromByte, lengthBytes);
    return transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  placeRows: (captures: Uint32Array, rows: Uint32Array) => {
    const placed = workspace.placeRows(captures, rows);
    return transfer(placed, [placed.positions.buffer, placed.timesSec.buffer] as ArrayBuffer[]);
  },
  listPicks: (from: number, to: number) => {
    const picks = workspace.listPicks(from, to);
    return transfer(picks, [picks.positions.buffer, picks.captures.buffer, picks.rows.buffer, picks.timesSec.buffer] as ArrayBuffer[]);
  },
  /** For the benchmark: how long the browser takes only to read the file's bytes. */
  readOnly: async (file: File, chunkBytes: number) => {
    const started = performance.now();
    let next = file.slice(0, chunkBytes).arrayBuffer();
    for (let offset = 0; offset < file.size; ) {
      const chunk = await next;
      offset += chunk.byteLength;
      if (offset < file.size) next = file.slice(offset, offset + chunkBytes).arrayBuffer();
    }
    return performance.now() - started;
  },
};

export type IngestApi = typeof api;

expose(api);
