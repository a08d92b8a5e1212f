/**
 * The captures open in one tab, and the questions the UI may ask of them. It runs inside
 * the ingest worker (workers/ingest.worker.ts) and, unchanged, under Node for tests.
 */
import { blobSource, type ByteSource } from '../capture/byte-source.ts';
import { NotACapture } from '../capture/packet-sink.ts';
import { readCapture } from '../capture/read-capture.ts';
import { Capture } from './capture.ts';
import { packetRow, type PacketRow } from './rows.ts';
import { summarize, warningText, type Stats } from './summary.ts';
import { timeBins } from './time-bins.ts';

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
}

interface Entry {
  capture: Capture;
  source: ByteSource;
  format: string;
  ingestMs: number;
  finished: boolean;
}

const PROGRESS_INTERVAL_MS = 100;

export class Workspace {
  private readonly entries: Entry[] = [];
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
      results.push(await this.openOne(file, name, fileIndex, signal, onProgress, chunkBytes));
    }
    this.abort = null;
    return results;
  }

  cancel(): void {
    this.abort?.abort();
  }

  stats(): Stats {
    return summarize(this.entries.map(({ capture, format, ingestMs }) => ({ capture, format, ingestMs })));
  }

  /** Packets per bin over [fromSec, toSec) in seconds since the capture's first packet. */
  bins(id: number, fromSec: number, toSec: number, binCount: number): Uint32Array {
    const entry = this.entry(id);
    return timeBins(entry.capture.store, fromSec, toSec, binCount, entry.finished);
  }

  /** The seconds (since the first packet) of the earliest and latest packet read so far. */
  extent(id: number): { fromSec: number; toSec: number; packets: number } {
    const store = this.entry(id).capture.store;
    if (store.length === 0) return { fromSec: 0, toSec: 0, packets: 0 };
    let fromSec = Infinity;
    let toSec = -Infinity;
    if (this.entry(id).finished) {
      fromSec = store.relSeconds(store.rowAt(0));
      toSec = store.relSeconds(store.rowAt(store.length - 1));
    } else {
      for (let i = 0; i < store.length; i++) {
        const t = store.relSeconds(i);
        if (t < fromSec) fromSec = t;
        if (t > toSec) toSec = t;
      }
    }
    return { fromSec, toSec, packets: store.length };
  }

  rows(id: number, fromRow: number, count: number): PacketRow[] {
    const capture = this.entry(id).capture;
    const end = Math.min(capture.store.length, fromRow + count);
    const rows: PacketRow[] = [];
    for (let row = Math.max(0, fromRow); row < end; row++) rows.push(packetRow(capture, row));
    return rows;
  }

  /** The captured bytes of one packet, read again from the file by offset. */
  async packetBytes(id: number, row: number): Promise<Uint8Array> {
    const { capture, source } = this.entry(id);
    const store = capture.store;
    if (row < 0 || row >= store.length) throw new RangeError(`no packet ${row + 1}`);
    return (await source.read(store.offset[row], store.capLen[row])).slice();
  }

  private entry(id: number): Entry {
    const entry = this.entries[id];
    if (!entry) throw new RangeError(`no capture ${id}`);
    return entry;
  }

  private async openOne(file: Blob, name: string, fileIndex: number, signal: AbortSignal, onProgress: (p: IngestProgress) => void, chunkBytes?: number): Promise<OpenedCapture> {
    const started = performance.now();
    const capture = new Capture(name);
    const source = blobSource(file, name);
    const entry: Entry = { capture, source, format: '', ingestMs: 0, finished: false };
    const id = this.entries.push(entry) - 1;
    const decompressed: Uint8Array[] = [];
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
      const read = await readCapture(source, capture, { signal, chunkBytes, onProgress: (b) => {
          capture.store.planCapacity(b, file.size);
          report(b, false);
        }, onDecompressed: (c) => decompressed.push(c) });
      capture.finish();
      // A gzip capture is re-read from its decompressed copy: a Blob, which Chromium keeps on disk when large.
      if (read.compressed) entry.source = blobSource(new Blob(decompressed as BlobPart[]), name);
      entry.format = read.compressed ? `${read.format}.gz` : read.format;
      entry.ingestMs = performance.now() - started;
      entry.finished = true;
      report(read.bytesRead, true);
      return { id, name, format: entry.format, packets: capture.store.length, warnings: capture.warnings.map(warningText), damage: read.damage, cancelled: read.cancelled, ingestMs: entry.ingestMs };
    } catch (error) {
      this.entries.pop();
      if (!(error instanceof NotACapture)) throw error;
      return { id: -1, name, error: error.message, packets: 0, warnings: [], cancelled: false, ingestMs: performance.now() - started };
    }
  }
}
