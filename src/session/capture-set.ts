/**
 * The captures open in the session, by id. An id names one capture until it is closed:
 * closing one leaves a hole rather than renumber the others (the page holds ids in marks,
 * strips and rows); closing the last one empties the set, and ids start again at 0.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { FlowTotals } from '../analysis/conversations.ts';
import type { Analysis } from '../analysis/findings/findings.ts';
import type { Capture } from '../store/capture.ts';

export interface Entry {
  readonly id: number;
  capture: Capture;
  /** The file as given (for a gzip capture, `source` reads its decompressed copy). */
  file: Blob;
  source: ByteSource;
  format: string;
  ingestMs: number;
  finished: boolean;
  /** Reading was cancelled: the capture holds only the packets before that. */
  cancelled: boolean;
  /** Per-flow sums for the conversations table, once the capture is read. */
  flowTotals?: FlowTotals;
  analysis?: Promise<Analysis>;
  fingerprint?: Promise<string>;
}

export class CaptureSet {
  private readonly byId: (Entry | undefined)[] = [];
  private listed: Entry[] | null = null;

  /** The open captures in id order: slot i of the merged order is list()[i]. */
  list(): readonly Entry[] {
    return (this.listed ??= this.byId.filter((e): e is Entry => e !== undefined));
  }

  get count(): number {
    return this.list().length;
  }

  /** The next id a new capture gets. */
  get nextId(): number {
    return this.byId.length;
  }

  get(id: number): Entry {
    const entry = this.byId[id];
    if (!entry) throw new RangeError(`no capture ${id}`);
    return entry;
  }

  has(id: number): boolean {
    return this.byId[id] !== undefined;
  }

  /** Puts an entry under its id: a new one, or the replacement of the capture of that id. */
  put(entry: Entry): void {
    this.byId[entry.id] = entry;
    this.listed = null;
  }

  /** Takes a capture out (its id is not given again while others are open). */
  remove(id: number): void {
    this.byId[id] = undefined;
    if (this.byId.every((e) => e === undefined)) this.byId.length = 0;
    this.listed = null;
  }

  clear(): void {
    this.byId.length = 0;
    this.listed = null;
  }

  /** The capture a cancelled read of this file left (same name, size and time), or undefined. */
  partialCopyOf(file: Blob, name: string): Entry | undefined {
    const modified = (b: Blob) => (b as File).lastModified;
    return this.list().find((e) => e.cancelled && e.capture.name === name && e.file.size === file.size && modified(e.file) === modified(file));
  }
}
