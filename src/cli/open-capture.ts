/**
 * Every command opens its captures here, as the tab does (src/session/capture-reading.ts):
 * ingest, and for gzip a decompressed copy, here written to a temporary file as it is
 * produced, so that re-reads of packet bytes (byte filters, findings, export) read the bytes
 * the store's offsets refer to, and no decompressed copy is ever held in memory.
 *
 * The temporary file is unlinked as soon as it is opened: the handle keeps it readable, and
 * the disk space returns when the handle closes or the process ends, however it ends.
 */
import { mkdtemp, open, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesSource, type ByteSource } from '../capture/byte-source.ts';
import { nodeFileSource, nodeHandleSource } from '../capture/node-file-source.ts';
import { budgetStopText, type BudgetKind, type ReadBudgets } from '../capture/read-budget.ts';
import { readCaptureFile, type CaptureRead, type DecompressedKeeper } from '../session/capture-reading.ts';
import { Capture } from '../store/capture.ts';
import { InputError, inPathTerms } from './input-error.ts';

export interface OpenedCapture extends CaptureRead {
  path: string;
  capture: Capture;
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
  let copy: TemporaryCopy | null = null;
  try {
    file = await nodeFileSource(path);
    copy = new TemporaryCopy(file.name);
    const capture = new Capture(file.name, false);
    const opened = await checkedRead(capture, file, path, budgets, copy);
    // A gzip capture is read from its copy from now on: the compressed file is done with.
    if (opened.source !== file) await file.close?.();
    file = null;
    return { ...opened, path, capture, close: async () => opened.source.close?.() };
  } catch (error) {
    await copy?.discard();
    await file?.close?.();
    throw inPathTerms(error, path);
  }
}

/** Reads one capture for its figures alone (`stats`): no packet bytes are read again, so no copy. */
export async function readFigures(path: string, budgets: ReadBudgets = {}): Promise<CaptureRead & { capture: Capture }> {
  let file: ByteSource | null = null;
  try {
    file = await nodeFileSource(path);
    const capture = new Capture(file.name, false);
    return { ...(await checkedRead(capture, file, path, budgets)), capture };
  } catch (error) {
    throw inPathTerms(error, path);
  } finally {
    await file?.close?.();
  }
}

/** The read, with a budget stop refused: an answer over part of the capture is not the answer asked for. */
async function checkedRead(capture: Capture, file: ByteSource, path: string, budgets: ReadBudgets, copy?: DecompressedKeeper): Promise<CaptureRead> {
  const result = await readCaptureFile(capture, file, budgets, copy);
  const { damage } = result.read;
  if (damage?.budget) {
    const stop = budgetStopText(capture.store.length, damage.offsetBytes, damage.reason);
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

/**
 * A gzip capture's decompressed bytes in an unlinked temporary file, written in order with
 * one write in flight while the next chunk inflates (the reader never reuses a chunk).
 */
class TemporaryCopy implements DecompressedKeeper {
  private handle: FileHandle | null = null;
  private writing: Promise<void> = Promise.resolve();
  private written = 0;

  constructor(private readonly name: string) {}

  add(chunk: Uint8Array): Promise<void> {
    const previous = this.writing;
    const at = this.written;
    this.writing = previous.then(() => this.write(chunk, at));
    this.written += chunk.length;
    return previous;
  }

  /** The copy as a source, once every write is done; it closes the file on close(). */
  async source(): Promise<ByteSource> {
    await this.writing;
    const handle = this.handle;
    this.handle = null;
    return handle ? nodeHandleSource(handle, this.name) : bytesSource(new Uint8Array(0), this.name);
  }

  async discard(): Promise<void> {
    await this.writing.catch(() => {});
    await this.handle?.close();
    this.handle = null;
  }

  private async write(chunk: Uint8Array, at: number): Promise<void> {
    this.handle ??= await temporaryFile();
    for (let done = 0; done < chunk.length; ) done += (await this.handle.write(chunk, done, chunk.length - done, at + done)).bytesWritten;
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
