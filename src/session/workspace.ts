/**
 * The session: the captures open in one tab, and the questions the page may ask of them
 * (contract.ts). It runs inside the ingest worker (workers/ingest.worker.ts) and, unchanged,
 * under Node for tests. This file only composes the modules that answer:
 *   capture-set.ts         the open captures, by id
 *   opening.ts             reading files in, with progress and cancel
 *   placement.ts           positions and placed times: the one home of clock offsets
 *   filtering.ts           the list's filter
 *   findings.ts            findings and overlay lanes
 *   marks.ts               marks and runs of rows, placed
 *   packets.ts, seen-at.ts a packet's bytes, select(), the same packet elsewhere
 *   conversation-table.ts  top talkers
 *   exports.ts             the three exports
 *   fingerprint.ts         what saved marks are keyed by
 */
import type { SequentialReader } from '../capture/byte-source.ts';
import type { ConversationKind } from '../analysis/conversations.ts';
import { packetDetails, type DetailNode } from '../decode/details.ts';
import { excluding, type Composed } from '../filter/compose.ts';
import { listRows, type ListRow } from '../store/list-rows.ts';
import { captureSummary, summarize, type Stats } from '../store/summary.ts';
import { timelineAnswer, type TimelineAnswer } from '../store/timeline-query.ts';
import type { View } from '../store/view.ts';
import { CaptureSet, type Entry } from './capture-set.ts';
import type {
  BundleRange,
  BundleView,
  ConversationTable,
  ExportedBlob,
  ExportFormat,
  ExportProgressCallback,
  FilterOutcome,
  IngestProgressCallback,
  MarkedRange,
  MarkRunOptions,
  OpenedCapture,
  OverlayLane,
  Overview,
  Pick,
  PlacedFinding,
  PlacedRows,
  RunPicks,
  SeenAt,
  SelectOptions,
  SelectTarget,
  Selection,
  WritableFile,
} from './contract.ts';
import { conversationTable } from './conversation-table.ts';
import { Exports } from './exports.ts';
import { Filtering } from './filtering.ts';
import { Findings } from './findings.ts';
import { fingerprint } from './fingerprint.ts';
import { placeRows, runPicks } from './marks.ts';
import { Opening } from './opening.ts';
import { packetBytes, PACKET_HEAD_BYTES, select } from './packets.ts';
import { Placement } from './placement.ts';
import { linkTypeOf, seenAt } from './seen-at.ts';

export { MAX_CAPTURES, TAB_MAX_DECOMPRESSED_BYTES, TAB_MAX_PACKETS } from './opening.ts';
export { PACKET_HEAD_BYTES } from './packets.ts';

export class Workspace {
  private readonly captures = new CaptureSet();
  private readonly placement = new Placement<Entry>(() => this.captures.list());
  private readonly filtering = new Filtering(this.placement);
  private readonly analysis = new Findings(this.captures, this.placement);
  private readonly exports = new Exports(this.placement, this.filtering);
  private readonly opening: Opening;

  /** `sequentialReader` reads a file ahead on another thread (the worker passes one). */
  constructor(sequentialReader?: SequentialReader) {
    this.opening = new Opening(this.captures, { changed: () => this.changed(), overview: () => this.overview() }, sequentialReader);
  }

  // Opening and closing.

  open(files: Blob[], onProgress: IngestProgressCallback, chunkBytes?: number): Promise<OpenedCapture[]> {
    return this.opening.open(files, onProgress, chunkBytes);
  }

  /** Closes one capture; the others keep their ids, and the filter is applied again over what stays. */
  async closeCapture(id: number): Promise<Overview> {
    if (this.opening.reading) throw new Error('a capture cannot be closed while files are being read: cancel the read first');
    this.captures.get(id);
    const text = this.filtering.text;
    this.captures.remove(id);
    this.placement.forget(id);
    this.changed();
    // The last one closed: as new (ids start again at 0), as Close all leaves it.
    if (this.captures.count === 0) this.closeAll();
    else if (text !== null) await this.filtering.apply(text);
    return this.overview();
  }

  /** Closes every capture (a read or an export in progress stops): the workspace is as new. */
  closeAll(): void {
    this.opening.cancel();
    this.exports.cancel();
    this.captures.clear();
    this.placement.clear();
    this.changed();
  }

  stats(): Stats {
    return summarize(this.captures.list().map(({ capture, format, ingestMs }) => captureSummary(capture, format, ingestMs)));
  }

  /** Cheap at any time, also while reading: counts and extremes are kept as packets arrive. */
  overview(): Overview {
    const classCounts = new Array<number>(32).fill(0);
    let packets = 0;
    for (const { capture } of this.captures.list()) {
      packets += capture.store.length;
      for (const [cls, n] of capture.classCounts.entries()) classCounts[cls] += n;
    }
    const { fromSec, toSec } = this.placement.extent();
    return {
      packets,
      baseSec: this.placement.baseSec,
      fromSec,
      toSec,
      classCounts,
      reading: this.captures.list().some((e) => !e.finished),
      origin: this.placement.origin(),
    };
  }

  async fingerprint(capture: number): Promise<string> {
    const entry = this.captures.get(capture);
    return (entry.fingerprint ??= fingerprint(entry.source, entry.capture.store.length));
  }

  /**
   * Shifts one capture's clock (merge alignment): the merged order and every placed time
   * follow at once, and a filter is applied again over the new order.
   */
  async setClockOffset(capture: number, seconds: number): Promise<number[]> {
    this.captures.get(capture);
    this.placement.setOffset(capture, seconds);
    await this.filtering.reapply();
    return this.placement.offsetsById();
  }

  // The timeline.

  timeline(fromSec: number, toSec: number, binCount: number, maxTicks: number): TimelineAnswer {
    const captures = this.placement
      .slots()
      .map((e) => ({ capture: e.capture, offsetSec: this.placement.offsetSec(e.id), classIndex: e.finished ? e.capture.classIndex : null }));
    return timelineAnswer(captures, this.placement.order(), fromSec, toSec, binCount, maxTicks, this.filtering.matches);
  }

  overlays(): Promise<OverlayLane[]> {
    return this.analysis.overlays();
  }

  findings(): Promise<PlacedFinding[]> {
    return this.analysis.findings();
  }

  // The list.

  /** The list's rows [first, first + count); the Delta of `first` counts from row listStart's predecessor chain. */
  async listRows(first: number, count: number, listStart: number): Promise<ListRow[]> {
    const view = this.view();
    const previous = first > listStart && first > 0 ? view.positionAt(first - 1) : -1;
    const slots = this.placement.slots();
    const rows = await listRows([...slots], this.placement.order(), view.slice(first, count), previous);
    // listRows names captures by order slot and gives recorded times: placed here.
    for (const row of rows) {
      row.capture = slots[row.capture].id;
      const t = this.placement.instantOf(row.capture, row.frame - 1);
      row.tsSec = t.sec;
      row.tsNs = t.ns;
    }
    return rows;
  }

  /** List rows (view indices) of the packets in [fromSec, toSec). */
  indexRange(fromSec: number, toSec: number): [number, number] {
    const view = this.view();
    return [view.indexOf(this.placement.lowerBound(fromSec)), view.indexOf(this.placement.lowerBound(toSec))];
  }

  /** The list row of the packet nearest to time t, among those the view shows (-1: none). */
  nearest(t: number): number {
    const view = this.view();
    if (view.length === 0) return -1;
    const after = Math.min(view.indexOf(this.placement.lowerBound(t)), view.length - 1);
    if (after <= 0) return 0;
    const time = (i: number) => this.placement.time(view.positionAt(i));
    return t - time(after - 1) <= time(after) - t ? after - 1 : after;
  }

  /** The list row showing a position, or the first after it. */
  indexOf(position: number): number {
    return this.view().indexOf(position);
  }

  select(target: SelectTarget, options?: SelectOptions): Promise<Selection | null> {
    return select(this.captures, this.placement, this.view(), target, options);
  }

  /** Bytes [fromByte, fromByte + lengthBytes) of the packet at a position: the hex pane's later pages. */
  packetSlice(position: number, fromByte: number, lengthBytes: number): Promise<Uint8Array> {
    return packetBytes(
      this.captures.get(this.placement.captureAt(position)),
      this.placement.rowAt(position),
      fromByte,
      Math.min(lengthBytes, PACKET_HEAD_BYTES),
    );
  }

  /** The captured bytes of one packet (or of a part of it), read again from the file by offset. */
  packetBytes(capture: number, row: number, fromByte = 0, lengthBytes = Infinity): Promise<Uint8Array> {
    return packetBytes(this.captures.get(capture), row, fromByte, lengthBytes);
  }

  // Marks.

  /** Saved or shared marks placed in one call. */
  placeRows(captures: Uint32Array, rows: Uint32Array): PlacedRows {
    return placeRows(this.placement, captures, rows);
  }

  /** The packets of list rows [fromIndex, toIndex), placed, and with `copies` those rows in every other open copy of their file. */
  async markRun(fromIndex: number, toIndex: number, options: MarkRunOptions = {}): Promise<RunPicks> {
    return runPicks(this.placement, this.view(), fromIndex, toIndex, options.copies ? await this.copies() : null);
  }

  // Filter and conversations.

  /**
   * Applies a tcpdump filter to the list and the timeline (empty text: none). A newer call
   * cancels one still running: it then returns null.
   */
  applyFilter(text: string): Promise<FilterOutcome | null> {
    return this.filtering.apply(text);
  }

  /** The filter box's text with a conversation excluded, or why tcpdump's language cannot say it. */
  excluding(current: string, clause: string): Composed {
    return excluding(current, clause);
  }

  /**
   * Conversations of one kind over all open captures, largest first by packets or bytes,
   * first and last at their placed times. The same conversation in several captures is one row.
   */
  conversations(kind: ConversationKind, by: 'packets' | 'bytes' = 'packets', limit = 500): ConversationTable {
    return conversationTable(this.captures.list(), this.placement, kind, by, limit);
  }

  // Exports.

  exportBlob(format: ExportFormat, from: number, to: number, onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob> {
    return this.exports.listRows(format, from, to, onProgress, file);
  }

  exportPicks(
    format: ExportFormat,
    picks: Pick[],
    ranges: MarkedRange[] = [],
    onProgress?: ExportProgressCallback,
    file?: WritableFile,
  ): Promise<ExportedBlob> {
    return this.exports.picks(format, picks, ranges, onProgress, file);
  }

  exportBundle(marks: Pick[], ranges: BundleRange[], view: BundleView, onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob> {
    return this.exports.bundle(marks, ranges, view, onProgress, file);
  }

  /** Stops every export running; each rejects with an AbortError. */
  cancelExport(): void {
    this.exports.cancel();
  }

  // Kept until the page moves to select(), markRun() and the progress answer (contract.ts).

  /** @deprecated */
  cancel(): void {
    this.opening.cancel();
  }

  /** @deprecated */
  positionAt(index: number): number {
    return this.view().positionAt(index);
  }

  /** @deprecated */
  timeOf(position: number): number {
    return this.placement.time(position);
  }

  /** @deprecated */
  async packetAt(position: number): Promise<{ capture: number; frame: number; linkType: number; bytes: Uint8Array; capLen: number; origLen: number }> {
    const capture = this.placement.captureAt(position);
    const row = this.placement.rowAt(position);
    const { store } = this.captures.get(capture).capture;
    return {
      capture,
      frame: row + 1,
      linkType: linkTypeOf(this.captures, capture, row),
      bytes: await this.packetBytes(capture, row, 0, PACKET_HEAD_BYTES),
      capLen: store.capLen[row],
      origLen: store.origLen[row],
    };
  }

  /** @deprecated */
  async details(position: number): Promise<DetailNode[]> {
    const packet = await this.packetAt(position);
    return packetDetails(packet.bytes, 0, packet.bytes.length, packet.linkType);
  }

  /** @deprecated */
  async seenAt(position: number, ignoreAddresses = false): Promise<SeenAt[]> {
    const frame = await this.packetBytes(this.placement.captureAt(position), this.placement.rowAt(position));
    return seenAt(this.captures, this.placement, position, frame, ignoreAddresses);
  }

  /** @deprecated */
  listPicks(from: number, to: number): { positions: Uint32Array; captures: Uint32Array; rows: Uint32Array; timesSec: Float64Array } {
    const view = this.view();
    const placed = this.placement.ordered();
    const first = Math.max(0, from);
    const count = Math.max(0, Math.min(to, view.length) - first);
    const out = { positions: new Uint32Array(count), captures: new Uint32Array(count), rows: new Uint32Array(count), timesSec: new Float64Array(count) };
    for (let i = 0; i < count; i++) {
      const p = view.positionAt(first + i);
      out.positions[i] = p;
      out.captures[i] = placed.captureAt(p);
      out.rows[i] = placed.rowAt(p);
      out.timesSec[i] = placed.time(p);
    }
    return out;
  }

  private view(): View {
    return this.filtering.view();
  }

  /** The open set changed: the order, the filter and what compares captures start over. */
  private changed(): void {
    this.placement.changed();
    this.filtering.clear();
    this.analysis.clear();
  }

  /** Per capture id, every open capture with the same content (itself included). */
  private async copies(): Promise<Map<number, number[]>> {
    const open = this.captures.list();
    const prints = await Promise.all(open.map((e) => this.fingerprint(e.id)));
    const byPrint = new Map<string, number[]>();
    for (const [i, e] of open.entries()) byPrint.set(prints[i], [...(byPrint.get(prints[i]) ?? []), e.id]);
    return new Map(open.map((e, i) => [e.id, byPrint.get(prints[i])!]));
  }
}
