/**
 * The captures open in one tab, and the questions the UI may ask of them. It runs inside
 * the ingest worker (workers/ingest.worker.ts) and, unchanged, under Node for tests.
 */
import { blobSource, type ByteSource, type SequentialReader } from '../capture/byte-source.ts';
import { CaptureChanged } from '../capture/capture-changed.ts';
import { NotACapture } from '../capture/packet-sink.ts';
import { readCapture } from '../capture/read-capture.ts';
import { Capture } from '../store/capture.ts';
import { MergedOrder } from '../store/merged-order.ts';
import { packetDetails, type DetailNode } from '../decode/details.ts';
import { loadOui } from '../decode/oui.ts';
import { conversations, flowTotals, topConversations, type Conversation, type ConversationKind, type FlowTotals, type Tally } from '../analysis/conversations.ts';
import { compileFilter, FilterSyntaxError } from '../filter/compile.ts';
import { byStart, type Finding } from '../analysis/findings/finding.ts';
import { analyse, type Analysis } from '../analysis/findings/findings.ts';
import { overlayLanes, type OverlayLane } from '../analysis/overlays.ts';
import { packetKey } from '../analysis/packet-key.ts';
import { vanishedPackets } from '../analysis/vanished.ts';
import { visitRowBytes } from '../store/row-bytes.ts';
import { lowerBound } from '../store/time-search.ts';
import type { ExportFormat, Pick } from '../export/capture-export.ts';
import type { ExportProgress, WritableFile } from '../export/plan-output.ts';
import { ExportJobs, type ExportedBlob } from './export-job.ts';
import { DecompressedCopy } from './decompressed-copy.ts';
import { bundleComments, viewFromComments } from '../share/bundle.ts';
import type { SharedView } from '../share/view-link.ts';
import { excluding, type Composed } from '../filter/compose.ts';
import { checkLinkTypes } from '../filter/link-support.ts';
import { matchingRows } from '../filter/match.ts';
import { listRows, type ListRow } from '../store/list-rows.ts';
import { View } from '../store/view.ts';
import { captureSummary, summarize, warningText, type Stats } from '../store/summary.ts';
import { timelineAnswer, type TimelineAnswer } from '../store/timeline-query.ts';

export interface IngestProgress {
  fileIndex: number;
  fileName: string;
  bytesRead: number;
  bytesTotal: number;
  packets: number;
  packetsPerSec: number;
  elapsedMs: number;
  done: boolean;
}

export interface OpenedCapture {
  id: number;
  name: string;
  /** Set when the file could not be read at all; then no capture was added. */
  error?: string;
  format?: string;
  packets: number;
  warnings: string[];
  damage?: { offsetBytes: number; reason: string };
  cancelled: boolean;
  ingestMs: number;
  /** An incident bundle's view, which refers to this capture alone, and what was cut from it. */
  bundleView?: SharedView;
  bundleNotices?: string[];
  /** Why the bundle's view was refused (the packets are open all the same). */
  bundleError?: string;
  /** This file's earlier, cancelled read was replaced (same id). */
  replaced?: boolean;
}

interface Entry {
  capture: Capture;
  /** The file as given (for a gzip capture, `source` reads its decompressed copy). */
  file: Blob;
  source: ByteSource;
  format: string;
  ingestMs: number;
  finished: boolean;
  /** Per-flow sums for the conversations table, once the capture is read. */
  flowTotals?: FlowTotals;
  analysis?: Promise<Analysis>;
  /** Reading was cancelled: the capture holds only the packets before that. */
  cancelled: boolean;
  /** Seconds the user added to this capture's clock (merge alignment). */
  clockOffsetSec: number;
}

/** Where a packet was also seen: per other capture, the time difference, or null when not there. */
export interface SeenAt {
  capture: number;
  name: string;
  deltaSec: number | null;
  /** False when too many packets lie around that time to compare them all. */
  checked: boolean;
}

/** A finding placed in the workspace: where its first packet is, and its span on the timeline. */
export interface PlacedFinding extends Finding {
  capture: number;
  captureName: string;
  /** Merged time-order position of its first packet. */
  position: number;
  /** Seconds since the workspace base, as the timeline counts them. */
  fromSec: number;
  toSec: number;
}

export interface ConversationTable {
  kind: ConversationKind;
  /** The largest conversations by the order asked for, at most `limit`. */
  rows: Conversation[];
  /** Conversations in all, and packets in all captures (for shares). */
  count: number;
  packets: number;
  computeMs: number;
}

export interface FilterOutcome {
  text: string;
  matched: number;
  total: number;
  error?: { message: string; position: number };
}

/** What the viewer needs to set up its axes and lanes; cheap to ask for while reading. */
export interface Overview {
  packets: number;
  /** Whole seconds since the epoch that the timeline's times count from. */
  baseSec: number;
  fromSec: number;
  toSec: number;
  /** Packets per protocol class id (index), over all captures. */
  classCounts: number[];
  reading: boolean;
  /** The first packet's time as recorded, exactly: what Relative times count from. */
  origin: { sec: number; ns: number };
}

const PROGRESS_INTERVAL_MS = 100;
const SAMPLE_BLOCKS = 16;
/** The same packet is looked for within this much time at the other capture points. */
const SEEN_WITHIN_SEC = 1;
const SEEN_MAX_CANDIDATES = 20_000;
const SAMPLE_BYTES = 4096;
/**
 * Open captures at once: the merge picks the next packet by a scan over the captures, so
 * thousands would make every merge slow long before an index runs out.
 */
export const MAX_CAPTURES = 4096;
/**
 * The details tree and the hex pane get at most this much of a packet at a time: more than
 * any network packet (GRO and BIG TCP records reach a few hundred KB), far less than the
 * 128-256 MiB records libpcap allows for D-Bus or USB captures.
 */
export const PACKET_HEAD_BYTES = 1024 * 1024;
/**
 * What one tab reads of a capture before it stops (as it stops at damage, keeping what was
 * read): 2^26 packets is about 2.7 GB of store (40 bytes a packet), twice the 4.9 GB,
 * 31.7 M packet capture the viewer is measured on; a gzip copy beyond 16 GiB would not
 * leave the browser's Blob storage room. The CLI allows twice as many packets.
 */
export const TAB_MAX_PACKETS = 2 ** 26;
export const TAB_MAX_DECOMPRESSED_BYTES = 2 ** 34;

export class Workspace {
  private readonly entries: Entry[] = [];

  /** `sequentialReader` reads a file ahead on another thread (the worker passes one). */
  constructor(private readonly sequentialReader?: SequentialReader) {}
  private abort: AbortController | null = null;

  /** Opens files one after another; a bad file is reported and does not stop the others. */
  async open(files: Blob[], onProgress: (p: IngestProgress) => void, chunkBytes?: number): Promise<OpenedCapture[]> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    const results: OpenedCapture[] = [];
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex];
      const name = (file as File).name ?? `capture ${fileIndex + 1}`;
      if (signal.aborted) break;
      if (this.entries.length >= MAX_CAPTURES && this.partialCopyOf(file, name) < 0) {
        results.push({ id: -1, name, error: `${MAX_CAPTURES.toLocaleString('en-US')} captures are open already, the most one tab holds; Close all to open others`, packets: 0, warnings: [], cancelled: false, ingestMs: 0 });
        continue;
      }
      results.push(await this.openOne(file, name, fileIndex, signal, onProgress, chunkBytes));
    }
    this.abort = null;
    // Vendor names for MACs: a 5.5 MB table whose compiling would stall a first ingest, so
    // it loads after one; until then the list shows plain MAC addresses.
    loadOui().catch(() => {});
    return results;
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** Closes every capture (after a read has stopped): the workspace is as new. */
  closeAll(): void {
    this.abort?.abort();
    this.entries.length = 0;
    this.cachedOrder = null;
    this.filtered = null;
    this.vanished = null;
  }

  stats(): Stats {
    return summarize(this.entries.map(({ capture, format, ingestMs }) => captureSummary(capture, format, ingestMs)));
  }

  /** Cheap at any time, also while reading: counts and extremes are kept as packets arrive. */
  overview(): Overview {
    const base = this.baseSec();
    const classCounts = new Array<number>(32).fill(0);
    let packets = 0;
    let fromSec = Infinity;
    let toSec = -Infinity;
    for (const { capture } of this.entries) {
      const store = capture.store;
      if (store.length === 0) continue;
      packets += store.length;
      capture.classCounts.forEach((n, cls) => (classCounts[cls] += n));
      const offset = store.baseSec - base;
      fromSec = Math.min(fromSec, store.minRelSeconds + offset);
      toSec = Math.max(toSec, store.maxRelSeconds + offset);
    }
    if (!packets) [fromSec, toSec] = [0, 0];
    return { packets, baseSec: base, fromSec, toSec, classCounts, reading: this.entries.some((e) => !e.finished), origin: this.origin(packets) };
  }

  private origin(packets: number): { sec: number; ns: number } {
    if (!packets) return { sec: 0, ns: 0 };
    const order = this.order();
    const { store } = this.entries[order.captureAt(0)].capture;
    const row = order.rowAt(0);
    return { sec: store.sec(row), ns: store.tsNs[row] };
  }

  timeline(fromSec: number, toSec: number, binCount: number, maxTicks: number): TimelineAnswer {
    const base = this.baseSec();
    const captures = this.entries.map((e) => ({ capture: e.capture, offsetSec: e.capture.store.baseSec - base + e.clockOffsetSec, classIndex: e.finished ? e.capture.classIndex : null }));
    return timelineAnswer(captures, this.order(), fromSec, toSec, binCount, maxTicks, this.filtered?.matches ?? null);
  }

  /** List rows (view indices) of the packets in [fromSec, toSec). */
  indexRange(fromSec: number, toSec: number): [number, number] {
    const order = this.order();
    const view = this.view();
    return [view.indexOf(order.lowerBound(fromSec)), view.indexOf(order.lowerBound(toSec))];
  }

  /** The list row of the packet nearest to time t, among those the view shows (-1: none). */
  nearest(t: number): number {
    const order = this.order();
    const view = this.view();
    if (view.length === 0) return -1;
    const after = Math.min(view.indexOf(order.lowerBound(t)), view.length - 1);
    if (after <= 0) return 0;
    return t - order.time(view.positionAt(after - 1)) <= order.time(view.positionAt(after)) - t ? after - 1 : after;
  }

  /** The list row showing a position, or the first after it. */
  indexOf(position: number): number {
    return this.view().indexOf(position);
  }

  /** The position a list row shows. */
  positionAt(index: number): number {
    return this.view().positionAt(index);
  }

  /** The list's rows [first, first + count); the Delta of `first` counts from row listStart's predecessor chain. */
  listRows(first: number, count: number, listStart: number): Promise<ListRow[]> {
    const view = this.view();
    const previous = first > listStart && first > 0 ? view.positionAt(first - 1) : -1;
    return listRows(this.entries, this.order(), view.slice(first, count), previous);
  }

  /**
   * Applies a tcpdump filter to the list and the timeline (empty text: none). A newer call
   * cancels one still running: it then returns null.
   */
  async applyFilter(text: string): Promise<FilterOutcome | null> {
    const generation = ++this.filterGeneration;
    if (text.trim() === '') {
      this.filtered = null;
      return { text, matched: this.order().length, total: this.order().length };
    }
    let compiled;
    try {
      compiled = compileFilter(text);
      for (const { capture } of this.entries) checkLinkTypes(compiled, capture.interfaces.map((i) => i.linkType), capture.name);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      return { text, matched: 0, total: this.order().length, error: { message: error.message, position: error.position } };
    }
    const order = this.order();
    const inverse = order.positionsOfRows();
    // A byte per time-order position, read back in order: no sort of millions of positions.
    const matched = new Uint8Array(order.length);
    let count = 0;
    for (const [c, { capture, source }] of this.entries.entries()) {
      const rows = await matchingRows(capture, source, compiled, { cancelled: () => generation !== this.filterGeneration });
      if (generation !== this.filterGeneration) return null;
      for (let i = 0; i < rows.length; i++) matched[inverse(c, rows[i])] = 1;
      count += rows.length;
    }
    const matches = new Uint32Array(count);
    for (let p = 0, k = 0; p < matched.length; p++) if (matched[p]) matches[k++] = p;
    this.filtered = { text, matches };
    return { text, matched: matches.length, total: order.length };
  }

  /**
   * Conversations of one kind over all open captures, largest first by packets or bytes.
   * The same conversation in several captures is one row.
   */
  conversations(kind: ConversationKind, by: 'packets' | 'bytes' = 'packets', limit = 500): ConversationTable {
    const started = performance.now();
    const tallies: Tally[][] = [];
    let packets = 0;
    for (const entry of this.entries) {
      const { capture } = entry;
      packets += capture.store.length;
      const totals = entry.finished ? (entry.flowTotals ??= flowTotals(capture)) : flowTotals(capture);
      tallies.push(conversations(capture, totals, kind));
    }
    const { rows, count } = topConversations(kind, tallies, by, limit);
    return { kind, rows, count, packets, computeMs: performance.now() - started };
  }

  /**
   * The findings of every capture read to the end, in one list by start. Computed once per
   * capture, in this worker, after its ingest; reads yield, so other questions are answered meanwhile.
   */
  async findings(): Promise<PlacedFinding[]> {
    const base = this.baseSec();
    const placed: PlacedFinding[] = [];
    for (const [c, entry] of this.entries.entries()) {
      if (!entry.finished) continue;
      for (const f of (await this.analysis(entry)).findings) {
        placed.push({
          ...f,
          capture: c,
          captureName: entry.capture.name,
          position: -1,
          fromSec: f.start.sec - base + f.start.ns / 1e9,
          toSec: f.end.sec - base + f.end.ns / 1e9,
        });
      }
    }
    if (this.entries.every((e) => e.finished)) {
      this.vanished ??= vanishedPackets(this.entries.map((e) => ({ capture: e.capture, source: e.source })));
      for (const { capture: c, finding: f } of await this.vanished) {
        placed.push({ ...f, capture: c, captureName: this.entries[c].capture.name, position: -1, fromSec: f.start.sec - base + f.start.ns / 1e9, toSec: f.end.sec - base + f.end.ns / 1e9 });
      }
    }
    const inverse = this.order().positionsOfRows();
    for (const f of placed) f.position = inverse(f.capture, f.firstRow);
    return placed.sort(byStart);
  }

  /** The timeline's overlay lanes (LACP ports, ARP targets, HSRP/VRRP groups, repeated frames) of every capture read. */
  async overlays(): Promise<OverlayLane[]> {
    const base = this.baseSec();
    const lanes: OverlayLane[] = [];
    for (const entry of this.entries) {
      if (!entry.finished || entry.capture.store.length === 0) continue;
      const { findings: found, control } = await this.analysis(entry);
      const { store } = entry.capture;
      const last = store.rowAt(store.length - 1);
      const endSec = store.sec(last) - base + store.tsNs[last] / 1e9;
      const prefix = this.entries.length > 1 ? `${entry.capture.name}: ` : '';
      for (const lane of overlayLanes(control, found, base, endSec)) lanes.push({ ...lane, id: prefix + lane.id, label: prefix + lane.label });
    }
    return lanes;
  }

  private analysis(entry: Entry): Promise<Analysis> {
    return (entry.analysis ??= analyse(entry.capture, entry.source));
  }

  private readonly exportJobs = new ExportJobs();

  /**
   * The list rows [from, to) (the filtered packets, or those of a time window) as a pcap or
   * pcapng file, merged in time order, built in chunks of megabytes (export-job.ts): a Blob,
   * or written to `file` (a FileSystemFileHandle the user picked).
   */
  async exportBlob(format: ExportFormat, from: number, to: number, onProgress?: (p: ExportProgress) => void, file?: WritableFile): Promise<ExportedBlob> {
    const order = this.order();
    const view = this.view();
    const first = Math.max(0, from);
    const end = Math.min(to, view.length);
    // Walked as needed, not held: ten million picks would be a gigabyte of objects.
    const picks = {
      *[Symbol.iterator](): Generator<Pick> {
        for (let i = first; i < end; i++) {
          const p = view.positionAt(i);
          yield { capture: order.captureAt(p), row: order.rowAt(p) };
        }
      },
    };
    return this.exportJobs.run(this.entries, format, picks, { onProgress, file });
  }

  /**
   * Chosen packets (marks with their notes as comments) and every packet of the given time
   * ranges (seconds since the base), in time order, as pcap or pcapng.
   */
  async exportPicks(format: ExportFormat, picks: Pick[], ranges: { fromSec: number; toSec: number }[] = [], onProgress?: (p: ExportProgress) => void, file?: WritableFile): Promise<ExportedBlob> {
    return this.exportJobs.run(this.entries, format, this.selection(picks, ranges).picks, { onProgress, file });
  }

  /** Stops every export running; each rejects with an AbortError. */
  cancelExport(): void {
    this.exportJobs.cancel();
  }

  /**
   * Chosen packets and every packet of the time ranges, once each, in merged time order, with
   * their positions; picks that name no packet are dropped.
   */
  private selection(picks: Pick[], ranges: { fromSec: number; toSec: number }[]): { picks: Pick[]; positions: number[] } {
    const order = this.order();
    const inverse = order.positionsOfRows();
    const byPosition = new Map<number, Pick>();
    for (const p of picks) if (p.capture < this.entries.length && p.row < this.entries[p.capture].capture.store.length) byPosition.set(inverse(p.capture, p.row), p);
    for (const r of ranges) {
      for (let p = order.lowerBound(r.fromSec); p < order.lowerBound(r.toSec); p++) if (!byPosition.has(p)) byPosition.set(p, { capture: order.captureAt(p), row: order.rowAt(p) });
    }
    const positions = [...byPosition.keys()].sort((a, b) => a - b);
    return { picks: positions.map((p) => byPosition.get(p)!), positions };
  }

  /**
   * Shifts one capture's clock (merge alignment): the merged order follows at once, and a
   * filter is applied again over the new order. Returns the offsets of all captures.
   */
  async setClockOffset(capture: number, seconds: number): Promise<number[]> {
    this.entry(capture).clockOffsetSec = seconds;
    this.cachedOrder = null;
    if (this.filtered) await this.applyFilter(this.filtered.text);
    return this.entries.map((e) => e.clockOffsetSec);
  }

  /**
   * The same packet at the other capture points: its content key (the network packet less
   * what hops rewrite) looked for among each other capture's packets within a second of it.
   */
  async seenAt(position: number, ignoreAddresses = false): Promise<SeenAt[]> {
    const order = this.order();
    const c0 = order.captureAt(position);
    const row0 = order.rowAt(position);
    const key = packetKey(await this.packetBytes(c0, row0), this.linkTypeOf(c0, row0), ignoreAddresses);
    if (key === null || this.entries.length < 2) return [];
    const t0 = order.time(position);
    const base = this.baseSec();
    const out: SeenAt[] = [];
    for (const [c, entry] of this.entries.entries()) {
      if (c === c0) continue;
      const { store } = entry.capture;
      const offset = store.baseSec - base + entry.clockOffsetSec;
      const first = lowerBound(store, t0 - SEEN_WITHIN_SEC - offset);
      const end = lowerBound(store, t0 + SEEN_WITHIN_SEC - offset);
      const seen: SeenAt = { capture: c, name: entry.capture.name, deltaSec: null, checked: end - first <= SEEN_MAX_CANDIDATES };
      if (seen.checked && end > first) {
        // The candidates' bytes in a few large reads, not one read per packet.
        const rows = Uint32Array.from({ length: end - first }, (_, i) => store.rowAt(first + i)).sort();
        const wanted = new Set(rows);
        const next = (after: number) => {
          let lo = 0;
          let hi = rows.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (rows[mid] <= after) lo = mid + 1;
            else hi = mid;
          }
          return lo < rows.length ? rows[lo] : -1;
        };
        await visitRowBytes(entry.capture, entry.source, rows[0], (r) => wanted.has(r), next, (row, bytes, at) => {
          if (packetKey(bytes.subarray(at, at + store.capLen[row]), this.linkTypeOf(c, row), ignoreAddresses) !== key) return;
          const delta = store.relSeconds(row) + offset - t0;
          if (seen.deltaSec === null || Math.abs(delta) < Math.abs(seen.deltaSec)) seen.deltaSec = delta;
        });
      }
      out.push(seen);
    }
    return out;
  }

  private linkTypeOf(capture: number, row: number): number {
    const { capture: c } = this.entries[capture];
    return c.interfaces[c.store.iface[row]].linkType;
  }

  /**
   * The incident bundle: marked packets (with their notes) and every packet of the marked
   * ranges, as one pcapng whose section comment holds the view, frames renumbered to the
   * bundle's own.
   */
  async exportBundle(marks: Pick[], ranges: { fromSec: number; toSec: number; label: string; note: string }[], view: { span?: { fromSec: number; toSec: number }; filter?: string; selected?: { capture: number; row: number } }, onProgress?: (p: ExportProgress) => void, file?: WritableFile): Promise<ExportedBlob> {
    const inverse = this.order().positionsOfRows();
    const { picks, positions } = this.selection(marks, ranges);
    const frameOf = new Map(positions.map((p, i) => [p, i + 1]));
    const base = this.baseSec();
    const selected = view.selected ? frameOf.get(inverse(view.selected.capture, view.selected.row)) : undefined;
    const shared: SharedView = {
      v: 1,
      captures: [],
      ...(view.span ? { window: { from: base + view.span.fromSec, to: base + view.span.toSec } } : {}),
      ...(view.filter ? { filter: view.filter } : {}),
      marks: marks.map((m) => ({ c: 0, frame: frameOf.get(inverse(m.capture, m.row))!, note: m.comment ?? '' })),
      ranges: ranges.map((r) => ({ from: base + r.fromSec, to: base + r.toSec, label: r.label, note: r.note })),
      ...(selected ? { selected: { c: 0, frame: selected } } : {}),
    };
    return this.exportJobs.run(this.entries, 'pcapng', picks, { onProgress, file }, bundleComments(shared));
  }

  /** Merged time-order position of a capture's row (to jump to a mark). */
  positionOf(capture: number, row: number): number {
    return this.order().positionsOfRows()(capture, row);
  }

  /**
   * What identifies a capture's content, for marks saved across reloads: its size, its packet
   * count and a SHA-256 of 16 blocks of 4 KiB spread over it (a file renamed keeps its marks;
   * another file under the same name does not get them).
   */
  async fingerprint(capture: number): Promise<string> {
    const { source, capture: c } = this.entries[capture];
    const blocks: Uint8Array[] = [];
    const step = Math.max(1, Math.floor(source.sizeBytes / SAMPLE_BLOCKS));
    for (let i = 0; i < SAMPLE_BLOCKS && i * step < source.sizeBytes; i++) blocks.push(await source.read(i * step, SAMPLE_BYTES));
    const joined = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of blocks) {
      joined.set(b, at);
      at += b.length;
    }
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
    const hex = Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
    return `${source.sizeBytes}-${c.store.length}-${hex}`;
  }

  /** The filter box's text with a conversation excluded, or why tcpdump's language cannot say it. */
  excluding(current: string, clause: string): Composed {
    return excluding(current, clause);
  }

  private filtered: { text: string; matches: Uint32Array } | null = null;
  /** Packets lost between capture points, once computed for the captures open then. */
  private vanished: Promise<{ capture: number; finding: Finding }[]> | null = null;
  private filterGeneration = 0;

  private view(): View {
    return new View(this.order().length, this.filtered?.matches ?? null);
  }

  /**
   * The first PACKET_HEAD_BYTES of the packet at a position (all of it, for any usual
   * packet), its captured and original lengths, and where it comes from.
   */
  async packetAt(position: number): Promise<{ capture: number; frame: number; linkType: number; bytes: Uint8Array; capLen: number; origLen: number }> {
    const order = this.order();
    const c = order.captureAt(position);
    const row = order.rowAt(position);
    const { capture } = this.entry(c);
    const capLen = capture.store.capLen[row];
    return { capture: c, frame: row + 1, linkType: capture.interfaces[capture.store.iface[row]].linkType, bytes: await this.packetBytes(c, row, 0, PACKET_HEAD_BYTES), capLen, origLen: capture.store.origLen[row] };
  }

  /** Bytes [fromByte, fromByte + lengthBytes) of the packet at a position: the hex pane's later pages. */
  async packetSlice(position: number, fromByte: number, lengthBytes: number): Promise<Uint8Array> {
    const order = this.order();
    return this.packetBytes(order.captureAt(position), order.rowAt(position), fromByte, Math.min(lengthBytes, PACKET_HEAD_BYTES));
  }

  /** The layers of the packet at a position (of its first PACKET_HEAD_BYTES), each with its byte range in the frame. */
  async details(position: number): Promise<DetailNode[]> {
    const packet = await this.packetAt(position);
    return packetDetails(packet.bytes, 0, packet.bytes.length, packet.linkType);
  }

  /**
   * Marks placed in one call: for each (capture, row) its merged position and time, or -1
   * and NaN where that capture has no such row. 100,000 marks cost one inverse of the
   * order, not one each.
   */
  placeRows(captures: Uint32Array, rows: Uint32Array): { positions: Float64Array; timesSec: Float64Array } {
    const order = this.order();
    const inverse = order.positionsOfRows();
    const positions = new Float64Array(rows.length).fill(-1);
    const timesSec = new Float64Array(rows.length).fill(NaN);
    for (let i = 0; i < rows.length; i++) {
      const entry = this.entries[captures[i]];
      if (!entry || rows[i] >= entry.capture.store.length) continue;
      positions[i] = inverse(captures[i], rows[i]);
      timesSec[i] = order.time(positions[i]);
    }
    return { positions, timesSec };
  }

  /** The packets of list rows [from, to): positions, captures, rows and times (a Shift+click run, Ctrl+M). */
  listPicks(from: number, to: number): { positions: Uint32Array; captures: Uint32Array; rows: Uint32Array; timesSec: Float64Array } {
    const order = this.order();
    const view = this.view();
    const first = Math.max(0, from);
    const count = Math.max(0, Math.min(to, view.length) - first);
    const out = { positions: new Uint32Array(count), captures: new Uint32Array(count), rows: new Uint32Array(count), timesSec: new Float64Array(count) };
    for (let i = 0; i < count; i++) {
      const p = view.positionAt(first + i);
      out.positions[i] = p;
      out.captures[i] = order.captureAt(p);
      out.rows[i] = order.rowAt(p);
      out.timesSec[i] = order.time(p);
    }
    return out;
  }

  /** Time of the packet at a position, in seconds since the base. */
  timeOf(position: number): number {
    return this.order().time(position);
  }

  /** The captured bytes of one packet (or of a part of it), read again from the file by offset. */
  async packetBytes(id: number, row: number, fromByte = 0, lengthBytes = Infinity): Promise<Uint8Array> {
    const { capture, source } = this.entry(id);
    const store = capture.store;
    if (row < 0 || row >= store.length) throw new RangeError(`no packet ${row + 1}`);
    const from = Math.max(0, Math.min(fromByte, store.capLen[row]));
    const length = Math.min(lengthBytes, store.capLen[row] - from);
    return (await source.read(store.offset[row] + from, length)).slice();
  }

  private cachedOrder: MergedOrder | null = null;

  /**
   * The merged order, built once all captures are read. While one is still being read the
   * captures are taken one after the other, in file order: O(1) to set up, as the viewer
   * asks every second, and exact for one time-ordered capture.
   */
  private order(): MergedOrder {
    const length = this.entries.reduce((n, e) => n + e.capture.store.length, 0);
    const reading = this.entries.some((e) => !e.finished);
    if (reading || !this.cachedOrder || this.cachedOrder.length !== length) {
      const base = this.baseSec();
      const captures = this.entries.map((e) => ({ store: e.capture.store, offsetSec: e.capture.store.baseSec - base + e.clockOffsetSec }));
      this.cachedOrder = new MergedOrder(captures, reading);
    }
    return this.cachedOrder;
  }

  private baseSec(): number {
    return this.entries.find((e) => e.capture.store.length > 0)?.capture.store.baseSec ?? 0;
  }

  /** The capture a cancelled read of this file left (same name and size), or -1. */
  private partialCopyOf(file: Blob, name: string): number {
    const modified = (b: Blob) => (b as File).lastModified;
    return this.entries.findIndex((e) => e.cancelled && e.capture.name === name && e.file.size === file.size && modified(e.file) === modified(file));
  }

  private entry(id: number): Entry {
    const entry = this.entries[id];
    if (!entry) throw new RangeError(`no capture ${id}`);
    return entry;
  }

  private async openOne(file: Blob, name: string, fileIndex: number, signal: AbortSignal, onProgress: (p: IngestProgress) => void, chunkBytes?: number): Promise<OpenedCapture> {
    const started = performance.now();
    const capture = new Capture(name);
    const source = blobSource(file, name, this.sequentialReader);
    const entry: Entry = { capture, file, source, format: '', ingestMs: 0, finished: false, cancelled: false, clockOffsetSec: 0 };
    // The same file again after a Cancel: the full copy replaces the partial one, in its place.
    const replaced = this.partialCopyOf(file, name);
    const previous = replaced >= 0 ? this.entries[replaced] : null;
    const id = replaced >= 0 ? replaced : this.entries.push(entry) - 1;
    this.entries[id] = entry;
    this.cachedOrder = null;
    this.filtered = null;
    this.vanished = null;
    const decompressed = new DecompressedCopy(name);
    let lastReport = -Infinity;
    const report = (bytesRead: number, done: boolean) => {
      const now = performance.now();
      if (!done && now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      const elapsedMs = now - started;
      const packets = capture.store.length;
      onProgress({ fileIndex, fileName: name, bytesRead, bytesTotal: file.size, packets, packetsPerSec: elapsedMs > 0 ? (packets * 1000) / elapsedMs : 0, elapsedMs, done });
    };
    try {
      const read = await readCapture(source, capture, { signal, chunkBytes, maxPackets: TAB_MAX_PACKETS, maxDecompressedBytes: TAB_MAX_DECOMPRESSED_BYTES, onProgress: (b) => {
          report(b, false);
          capture.store.planCapacity(b, file.size);
        }, onDecompressed: (chunk) => {
          // The first decompressed bytes: from now on, reads of this capture's packets go to the copy.
          if (entry.source === source) entry.source = decompressed.source();
          decompressed.add(chunk);
        } });
      capture.finish();
      entry.format = read.compressed ? `${read.format}.gz` : read.format;
      entry.ingestMs = performance.now() - started;
      entry.finished = true;
      entry.cancelled = read.cancelled;
      if (previous) entry.clockOffsetSec = previous.clockOffsetSec;
      report(read.bytesRead, true);
      const bundle = viewFromComments(capture.sectionComments);
      return {
        id, name, format: entry.format, packets: capture.store.length, warnings: capture.warnings.map(warningText), damage: read.damage, cancelled: read.cancelled, ingestMs: entry.ingestMs,
        ...(previous ? { replaced: true } : {}),
        ...(bundle && 'view' in bundle ? { bundleView: bundle.view, bundleNotices: bundle.notices } : {}),
        ...(bundle && 'error' in bundle ? { bundleError: bundle.error } : {}),
      };
    } catch (error) {
      if (previous) this.entries[id] = previous;
      else this.entries.pop();
      this.cachedOrder = null;
      // A file that changed while it was read is that file's problem, not the others'.
      if (!(error instanceof NotACapture) && !(error instanceof CaptureChanged)) throw error;
      return { id: -1, name, error: error.message, packets: 0, warnings: [], cancelled: false, ingestMs: performance.now() - started };
    }
  }
}
