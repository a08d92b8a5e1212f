/**
 * The session's contract, types only: every call the ingest worker answers (SessionApi) and
 * every type that crosses the worker boundary. workers/ingest.worker.ts implements exactly
 * this interface; the page (src/ui, src/bench) types its comlink handle by it and takes its
 * wire types from here alone (and from src/share/, which the page runs itself).
 *
 * Conventions, once for every call:
 * - A capture is named by its id (OpenedCapture.id). Ids stay valid until that capture is
 *   closed; closing one never renumbers the others. Closing the last one makes the session
 *   as new (ids start again at 0).
 * - A position is a packet's place in the merged time order of all open captures; a list
 *   index is a row of the list (the filtered packets, or all of them): indexOf/positions
 *   translate. Both change when the order changes (open, close, clock offset, filter).
 * - Times named `...Sec` are seconds since Overview.baseSec as doubles: the timeline's axis,
 *   for drawing and searching. Times printed to the user are exact: an Instant, or the pair
 *   (tsSec, tsNs) of whole seconds since the epoch and nanoseconds.
 * - Every time is placed: the time the capture recorded plus that capture's clock offset
 *   (setClockOffset). Rows, the timeline, findings, overlay lanes, placed marks, seen-at,
 *   the origin and exports' time ranges all move with the offset, to the nanosecond.
 * - Cancel is a signal, not a call: a progress callback that returns true (or a promise of
 *   true) stops the work it reports on. Through comlink the callback is a proxy() and its
 *   answer arrives a round trip later, so the stop takes effect at the next report after it,
 *   within about 100 ms of reading.
 */
import type { Instant } from '../analysis/findings/finding.ts';
import type { Finding } from '../analysis/findings/finding.ts';
import type { OverlayLane } from '../analysis/overlays.ts';
import type { Conversation, ConversationKind } from '../analysis/conversations.ts';
import type { DetailNode } from '../decode/details.ts';
import type { ExportFormat, Pick } from '../export/capture-export.ts';
import type { ExportProgress, WritableFile } from '../export/plan-output.ts';
import type { Composed } from '../filter/compose.ts';
import type { SharedView } from '../share/view-link.ts';
import type { ListRow } from '../store/list-rows.ts';
import type { Stats } from '../store/summary.ts';
import type { TimelineAnswer } from '../store/timeline-query.ts';

export type { Instant, Finding, FindingKind } from '../analysis/findings/finding.ts';
export type { OverlayLane, OverlaySegment, OverlayState } from '../analysis/overlays.ts';
export type { Conversation, ConversationKind } from '../analysis/conversations.ts';
export type { DetailNode } from '../decode/details.ts';
export type { ExportFormat, Pick } from '../export/capture-export.ts';
export type { ExportProgress, WritableFile } from '../export/plan-output.ts';
export type { Composed } from '../filter/compose.ts';
export type { ListRow } from '../store/list-rows.ts';
export type { Stats } from '../store/summary.ts';
export type { TimelineAnswer } from '../store/timeline-query.ts';
export type { SequentialReader } from '../capture/byte-source.ts';

/**
 * What a progress callback answers: true, or a promise of true, stops the work reported on
 * (see the file's head); anything else lets it go on.
 */
export type StopAnswer = unknown;

export interface IngestProgress {
  fileIndex: number;
  fileName: string;
  bytesRead: number;
  bytesTotal: number;
  packets: number;
  packetsPerSec: number;
  elapsedMs: number;
  done: boolean;
  /** What is open so far, the file being read included: the page needs no polling. */
  overview: Overview;
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
  /** The first packet's placed time, exactly: what Relative times count from. */
  origin: Instant;
}

/** Where a packet was also seen: per other capture, the time difference, or null when not there. */
export interface SeenAt {
  capture: number;
  name: string;
  /** The other copy's placed time less this one's (clock offsets included). */
  deltaSec: number | null;
  /** False when too many packets lie around that time to compare them all. */
  checked: boolean;
}

/** A finding placed in the session: start and end are placed times (its capture's offset added). */
export interface PlacedFinding extends Finding {
  capture: number;
  captureName: string;
  /** Merged time-order position of its first packet. */
  position: number;
  /** Seconds since the base, as the timeline counts them. */
  fromSec: number;
  toSec: number;
}

export interface ConversationTable {
  kind: ConversationKind;
  /** The largest conversations by the order asked for, at most `limit`; first/last are placed times. */
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

/** A packet named by its capture and row (frame - 1). */
export interface PacketRef {
  capture: number;
  row: number;
}

/** What select() is asked for: a list index, a position, or a capture's row. */
export type SelectTarget = number | { position: number } | PacketRef;

export interface SelectOptions {
  /** Seen-at across NAT: addresses and ports left out of the comparison. */
  ignoreAddresses?: boolean;
}

/** A selected packet: all the page shows of it, from one read of the file. */
export interface Selection {
  /** The list row and the merged position it shows. */
  index: number;
  position: number;
  capture: number;
  frame: number;
  /** Seconds since the base (the timeline's axis), and the placed time exactly. */
  timeSec: number;
  time: Instant;
  linkType: number;
  /** The first PACKET_HEAD_BYTES of the packet: all of it, for any usual packet. */
  bytes: Uint8Array;
  /** Captured and on-the-wire lengths: capLen exceeds bytes.length for a huge record. */
  capLen: number;
  origLen: number;
  /** The layers of `bytes`, each with its byte range in the frame. */
  details: DetailNode[];
  /** "Frame 7: 60 bytes captured, 60 on the wire", as the details pane heads it. */
  title: string;
  seenAt: SeenAt[];
}

/**
 * Packets placed: per entry its merged position and placed time, or -1 and NaN where no
 * such packet is open (tsSec/tsNs then 0).
 */
export interface PlacedRows {
  positions: Float64Array;
  timesSec: Float64Array;
  tsSec: Float64Array;
  tsNs: Uint32Array;
}

/** The packets of a run of list rows, placed (with the copies of their files, when asked). */
export interface RunPicks extends PlacedRows {
  captures: Uint32Array;
  rows: Uint32Array;
}

export interface MarkRunOptions {
  /** Also every other open copy of the same file (same fingerprint), the same rows. */
  copies?: boolean;
}

export interface ExportedBlob {
  /** The export; when it went to a file, that file as written (its bytes are not in memory). */
  blob: Blob;
  packets: number;
}

/** A time range of the marks, in seconds since the base. */
export interface MarkedRange {
  fromSec: number;
  toSec: number;
}

export interface BundleRange extends MarkedRange {
  label: string;
  note: string;
}

/** What an incident bundle's view holds besides its packets. */
export interface BundleView {
  span?: { fromSec: number; toSec: number };
  filter?: string;
  selected?: PacketRef;
}

export type IngestProgressCallback = (p: IngestProgress) => StopAnswer;
export type ExportProgressCallback = (p: ExportProgress) => StopAnswer;

/** Every call the ingest worker answers. Through comlink each returns a promise. */
export interface SessionApi {
  /**
   * Opens files one after another into the open set; a bad file is reported (error) and
   * does not stop the others. onProgress's answer true cancels: the file being read keeps
   * what was read, the files after it are not opened.
   */
  open(files: Blob[], onProgress: IngestProgressCallback, chunkBytes?: number): Promise<OpenedCapture[]>;
  /** Closes one capture (not while reading): the others keep their ids; order, filter, findings and lanes follow. */
  closeCapture(id: number): Promise<Overview>;
  /** Closes every capture: the session is as new. */
  closeAll(): void;
  stats(): Stats;
  overview(): Overview;
  /** Size, packet count and a hash of sampled blocks: what marks are saved under. */
  fingerprint(capture: number): Promise<string>;
  /** Shifts one capture's clock (seconds, exact to the ns as written in decimal); returns every offset by capture id (0 for closed ids). */
  setClockOffset(capture: number, seconds: number): Promise<number[]>;

  timeline(fromSec: number, toSec: number, binCount: number, maxTicks: number): TimelineAnswer;
  overlays(): Promise<OverlayLane[]>;
  findings(): Promise<PlacedFinding[]>;

  /** The list's rows [first, first + count); the Delta of `first` counts from row listStart's predecessor chain. */
  listRows(first: number, count: number, listStart: number): Promise<ListRow[]>;
  /** List rows of the packets in [fromSec, toSec). */
  indexRange(fromSec: number, toSec: number): [number, number];
  /** The list row showing a position, or the first after it. */
  indexOf(position: number): number;
  /** The list row of the packet nearest to time t (-1: the list is empty). */
  nearest(t: number): number;
  /** One packet, all the page shows of it, in one call; null when no list row shows it or one after it. */
  select(target: SelectTarget, options?: SelectOptions): Promise<Selection | null>;
  /** Bytes [fromByte, fromByte + lengthBytes) of the packet at a position: the hex pane's later pages. */
  packetSlice(position: number, fromByte: number, lengthBytes: number): Promise<Uint8Array>;

  /** Saved or shared marks placed in one call (100,000 cost one inverse of the order). */
  placeRows(captures: Uint32Array, rows: Uint32Array): PlacedRows;
  /** The packets of list rows [fromIndex, toIndex), placed: a Shift+click run, Ctrl+M with one row. */
  markRun(fromIndex: number, toIndex: number, options?: MarkRunOptions): Promise<RunPicks>;

  /** A tcpdump filter for the list and the timeline (empty: none); null when a newer call took over. */
  applyFilter(text: string): Promise<FilterOutcome | null>;
  /** The filter text with a conversation excluded, or why tcpdump's language cannot say it. */
  excluding(current: string, clause: string): Composed;
  conversations(kind: ConversationKind, by?: 'packets' | 'bytes'): ConversationTable;

  /** List rows [from, to) as pcap or pcapng, in merged time order; to `file` when given. */
  exportBlob(format: ExportFormat, from: number, to: number, onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob>;
  /** Chosen packets (notes as comments) and every packet of the ranges, once each, in time order. */
  exportPicks(format: ExportFormat, picks: Pick[], ranges?: MarkedRange[], onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob>;
  /** The incident bundle: marks, ranges and the view in one pcapng. */
  exportBundle(marks: Pick[], ranges: BundleRange[], view: BundleView, onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob>;
}
