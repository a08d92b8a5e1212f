/**
 * Every command opens its captures here: ingest, and for gzip a decompressed copy written to
 * a temporary file as it is produced, so that re-reads of packet bytes (byte filters,
 * findings, export) read the bytes the store's offsets refer to, and no decompressed copy
 * is ever held in memory.
 *
 * The temporary file is unlinked as soon as it is opened: the handle keeps it readable, and
 * the disk space returns when the handle closes or the process ends, however it ends.
 */
import { mkdtemp, open, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from '../capture/byte-source.ts';
import { nodeFileSource, nodeHandleSource } from '../capture/node-file-source.ts';
import { budgetStopText, type BudgetKind, type ReadBudgets } from '../capture/read-budget.ts';
import type { ReadOptions, ReadResult } from '../capture/read-capture.ts';
import { ingest, type Capture, type IngestResult } from '../store/capture.ts';
import { InputError, inPathTerms } from './input-error.ts';

export interface OpenedCapture {
  path: string;
  capture: Capture;
  read: ReadResult;
  ingestMs: number;
  /** The bytes the capture's offsets refer to: the file itself, or its decompressed copy. */
  source: ByteSource;
  close(): Promise<void>;
}

const BUDGET_FLAGS: Record<BudgetKind, string> = {
  packets: '; --max-packets N raises it',
  'decompressed-bytes': '; --max-decompressed-bytes N raises it',
  store: '',
};

/** Opens and reads one capture; input problems become an InputError naming the path. */
export async function openCapture(path: string, budgets: ReadBudgets = {}): Promise<OpenedCapture> {
  let file: ByteSource | null = null;
  let copy: FileHandle | null = null;
  // One write in flight while the next chunk inflates (gather never reuses a chunk).
  let writing: Promise<void> = Promise.resolve();
  try {
    file = await nodeFileSource(path);
    let written = 0;
    const write = async (chunk: Uint8Array, at: number) => {
      copy ??= await temporaryFile();
      for (let done = 0; done < chunk.length; ) done += (await copy.write(chunk, done, chunk.length - done, at + done)).bytesWritten;
    };
    const keep = (chunk: Uint8Array) => {
      const previous = writing;
      const at = written;
      writing = previous.then(() => write(chunk, at));
      written += chunk.length;
      return previous;
    };
    const ingested = await checkedIngest(file, path, { ...budgets, onDecompressed: keep });
    await writing;
    const { capture, read, ingestMs } = ingested;
    let source = file;
    if (read.compressed && copy) {
      await file.close?.();
      file = null;
      source = await nodeHandleSource(copy, source.name);
      copy = null;
    }
    return { path, capture, read, ingestMs, source, close: async () => source.close?.() };
  } catch (error) {
    await writing.catch(() => {});
    await file?.close?.();
    await (copy as FileHandle | null)?.close();
    throw inPathTerms(error, path);
  }
}

/** Reads one capture for its figures alone (`stats`): no packet bytes are read again, so no copy. */
export async function readCaptureFile(path: string, budgets: ReadBudgets = {}): Promise<IngestResult> {
  let file: ByteSource | null = null;
  try {
    file = await nodeFileSource(path);
    return await checkedIngest(file, path, budgets);
  } catch (error) {
    throw inPathTerms(error, path);
  } finally {
    await file?.close?.();
  }
}

/** ingest, with a budget stop refused: an answer over part of the capture is not the answer asked for. */
async function checkedIngest(file: ByteSource, path: string, options: ReadOptions): Promise<IngestResult> {
  const result = await ingest(file, { ...options, forViewer: false });
  const { damage } = result.read;
  if (damage?.budget) {
    const stop = budgetStopText(result.capture.store.length, damage.offsetBytes, damage.reason);
    throw new InputError(`${path}: ${stop}${BUDGET_FLAGS[damage.budget]}`);
  }
  return result;
}

/** Opens each path in turn, hands it over, and closes it whatever happens. */
export async function forEachCapture(paths: string[], budgets: ReadBudgets, visit: (opened: OpenedCapture) => Promise<void>): Promise<void> {
  for (const path of paths) {
    const opened = await openCapture(path, budgets);
    try {
      await visit(opened);
    } finally {
      await opened.close();
    }
  }
}

async function temporaryFile(): Promise<FileHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'packet-timeline-'));
  const path = join(dir, 'decompressed');
  const handle = await open(path, 'w+', 0o600);
  await unlink(path);
  await rmdir(dir);
  return handle;
}
