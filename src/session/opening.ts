/**
 * Opening files into the session: one after another, with progress (which carries the
 * overview, so the page needs no polling) and cancel as the progress callback's answer.
 * A bad file is reported and does not stop the others; the same file given again after a
 * cancelled read replaces its partial copy, under the same id.
 */
import { blobSource, type SequentialReader } from '../capture/byte-source.ts';
import { CaptureChanged } from '../capture/capture-changed.ts';
import { NotACapture } from '../capture/packet-sink.ts';
import { loadOui } from '../decode/oui.ts';
import { viewFromComments } from '../share/bundle.ts';
import { Capture } from '../store/capture.ts';
import { warningText } from '../store/summary.ts';
import { readCaptureFile, type DecompressedKeeper } from './capture-reading.ts';
import type { CaptureSet, Entry } from './capture-set.ts';
import type { IngestProgress, IngestProgressCallback, OpenedCapture, Overview } from './contract.ts';
import { DecompressedCopy } from './decompressed-copy.ts';
import { stopOn } from './stop-answer.ts';

const PROGRESS_INTERVAL_MS = 100;
/**
 * Open captures at once: the merge picks the next packet by a scan over the captures, so
 * thousands would make every merge slow long before an index runs out.
 */
export const MAX_CAPTURES = 4096;
/**
 * What one tab reads of a capture before it stops (as it stops at damage, keeping what was
 * read): 2^26 packets is about 2.7 GB of store (40 bytes a packet), twice the 4.9 GB,
 * 31.7 M packet capture the viewer is measured on; a gzip copy beyond 16 GiB would not
 * leave the browser's Blob storage room. The CLI allows twice as many packets.
 */
export const TAB_MAX_PACKETS = 2 ** 26;
export const TAB_MAX_DECOMPRESSED_BYTES = 2 ** 34;

/** Sends a report unless one went out less than PROGRESS_INTERVAL_MS ago; `last` always goes. */
type Reporter = (progress: Omit<IngestProgress, 'overview'>, last: boolean) => void;

export interface OpeningHooks {
  /** The open set changed (a capture added, replaced or taken back): what depends on it starts over. */
  changed(): void;
  overview(): Overview;
}

export class Opening {
  private abort: AbortController | null = null;

  /** `sequentialReader` reads a file ahead on another thread (the worker passes one). */
  constructor(
    private readonly captures: CaptureSet,
    private readonly hooks: OpeningHooks,
    private readonly sequentialReader?: SequentialReader,
  ) {}

  get reading(): boolean {
    return this.abort !== null;
  }

  async open(files: Blob[], onProgress: IngestProgressCallback, chunkBytes?: number): Promise<OpenedCapture[]> {
    const abort = (this.abort = new AbortController());
    const results: OpenedCapture[] = [];
    // Reports at most every PROGRESS_INTERVAL_MS over all the files (thousands of small files
    // make as many ends of reading), and always the end of the last file read (the last one,
    // or the one cancelled); each carries the overview.
    let lastReport = -Infinity;
    const report: Reporter = (progress, last) => {
      const now = performance.now();
      if (!last && now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      stopOn(onProgress({ ...progress, overview: this.hooks.overview() }), abort);
    };
    try {
      for (let fileIndex = 0; fileIndex < files.length && !abort.signal.aborted; fileIndex++) {
        const file = files[fileIndex];
        const name = (file as File).name ?? `capture ${fileIndex + 1}`;
        if (this.captures.count >= MAX_CAPTURES && !this.captures.partialCopyOf(file, name)) {
          results.push(refused(name, `${MAX_CAPTURES.toLocaleString('en-US')} captures are open already, the most one tab holds; Close all to open others`, 0));
          continue;
        }
        results.push(await this.openOne(file, name, fileIndex, fileIndex === files.length - 1, abort.signal, report, chunkBytes));
      }
    } finally {
      this.abort = null;
    }
    // Vendor names for MACs: a 5.5 MB table whose compiling would stall a first ingest, so
    // it loads after one; until then the list shows plain MAC addresses.
    loadOui().catch(() => {});
    return results;
  }

  /** Stops the read in progress (it keeps what was read) and the files after it. */
  cancel(): void {
    this.abort?.abort();
  }

  private async openOne(
    file: Blob,
    name: string,
    fileIndex: number,
    lastFile: boolean,
    signal: AbortSignal,
    report: Reporter,
    chunkBytes?: number,
  ): Promise<OpenedCapture> {
    const started = performance.now();
    const capture = new Capture(name);
    const source = blobSource(file, name, this.sequentialReader);
    // The same file again after a Cancel: the full copy replaces the partial one, in its place.
    const previous = this.captures.partialCopyOf(file, name);
    const entry: Entry = { id: previous?.id ?? this.captures.nextId, capture, file, source, format: '', ingestMs: 0, finished: false, cancelled: false };
    this.captures.put(entry);
    this.hooks.changed();
    const copy = new DecompressedCopy(name);
    const progress = (bytesRead: number, done: boolean) => {
      const elapsedMs = performance.now() - started;
      const packets = capture.store.length;
      report(
        {
          fileIndex,
          fileName: name,
          bytesRead,
          bytesTotal: file.size,
          packets,
          packetsPerSec: elapsedMs > 0 ? (packets * 1000) / elapsedMs : 0,
          elapsedMs,
          done,
        },
        done && (lastFile || signal.aborted),
      );
    };
    const keeper: DecompressedKeeper = {
      add(chunk) {
        // The first decompressed bytes: from now on, reads of this capture's packets go to the copy.
        if (entry.source === source) entry.source = copy.source();
        copy.add(chunk);
      },
      source: () => copy.source(),
    };
    try {
      const opened = await readCaptureFile(
        capture,
        source,
        { signal, chunkBytes, maxPackets: TAB_MAX_PACKETS, maxDecompressedBytes: TAB_MAX_DECOMPRESSED_BYTES, onProgress: (b) => progress(b, false) },
        keeper,
      );
      Object.assign(entry, {
        source: opened.source,
        format: opened.format,
        ingestMs: performance.now() - started,
        finished: true,
        cancelled: opened.read.cancelled,
      });
      this.hooks.changed();
      progress(opened.read.bytesRead, true);
      const bundle = viewFromComments(capture.sectionComments);
      return {
        id: entry.id,
        name,
        format: entry.format,
        packets: capture.store.length,
        warnings: capture.warnings.map(warningText),
        damage: opened.read.damage,
        cancelled: opened.read.cancelled,
        ingestMs: entry.ingestMs,
        ...(previous ? { replaced: true } : {}),
        ...(bundle && 'view' in bundle ? { bundleView: bundle.view, bundleNotices: bundle.notices } : {}),
        ...(bundle && 'error' in bundle ? { bundleError: bundle.error } : {}),
      };
    } catch (error) {
      if (previous) this.captures.put(previous);
      else this.captures.remove(entry.id);
      this.hooks.changed();
      // A file that changed while it was read is that file's problem, not the others'.
      if (!(error instanceof NotACapture) && !(error instanceof CaptureChanged)) throw error;
      return refused(name, error.message, performance.now() - started);
    }
  }
}

function refused(name: string, error: string, ingestMs: number): OpenedCapture {
  return { id: -1, name, error, packets: 0, warnings: [], cancelled: false, ingestMs };
}
