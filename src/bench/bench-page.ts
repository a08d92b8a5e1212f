/**
 * The bench page (bench.html): starts the ingest worker exactly as the app does and
 * exposes timing hooks on `window` for bench/run.ts, which drives it with Playwright.
 * No React, so what is timed is the worker and the main thread's message handling only.
 */
import { proxy } from 'comlink';
import { startEngine } from '../ui/engine.ts';
import type { IngestProgress, ExportFormat } from '../session/contract.ts';
import type { ReadOnlyRequest } from './read-only.worker.ts';

const engine = startEngine();

function chosenFile(): File {
  const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file chosen in #file');
  return file;
}

/** The browser's floor: a worker only reads the file's bytes, no parsing (started fresh, as the ingest worker is warm). */
async function benchReadOnly(chunkBytes: number) {
  const file = chosenFile();
  const started = performance.now();
  const worker = new Worker(new URL('./read-only.worker.ts', import.meta.url), { type: 'module', name: 'read-only' });
  const workerMs = await new Promise<number>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ file, chunkBytes } satisfies ReadOnlyRequest);
  });
  worker.terminate();
  return { wallMs: performance.now() - started, workerMs, bytes: file.size };
}

/** A real open, as the app does it, timed from the call on the main thread. */
async function benchIngest() {
  const file = chosenFile();
  let firstProgressMs = -1;
  let progressEvents = 0;
  const started = performance.now();
  const onProgress = (_p: IngestProgress) => {
    if (progressEvents++ === 0) firstProgressMs = performance.now() - started;
  };
  const [opened] = await engine.open([file], proxy(onProgress));
  const wallMs = performance.now() - started;
  const stats = await engine.stats();
  return {
    wallMs,
    firstProgressMs,
    progressEvents,
    packets: opened.packets,
    error: opened.error,
    bytes: file.size,
    storeBytes: stats.storeBytes,
    bytesPerPacket: stats.bytesPerPacket,
  };
}

/**
 * An export of list rows [from, to) as the Export button makes it, timed from the call until
 * the Blob is in the page (what a download starts from; the Blob is dropped), or, `toFile`,
 * until it is written to a file of the origin's private file system (as to a picked file).
 */
async function benchExport(format: ExportFormat, from: number, to: number, toFile: boolean) {
  let progressEvents = 0;
  const dir = await navigator.storage.getDirectory();
  const file = toFile ? await dir.getFileHandle('bench-export', { create: true }) : undefined;
  const started = performance.now();
  const { blob, packets } = await engine.exportBlob(
    format,
    from,
    to,
    proxy(() => void progressEvents++),
    file,
  );
  const result = { wallMs: performance.now() - started, packets, bytes: blob.size, progressEvents };
  if (file) await dir.removeEntry('bench-export');
  return result;
}

// A first round trip loads the worker's module, as the app has done long before a drop.
const ready = engine.stats().then(() => true);

/** What bench/run.ts calls through page.evaluate. */
export interface BenchApi {
  benchReady: () => Promise<boolean>;
  benchReadOnly: typeof benchReadOnly;
  benchIngest: typeof benchIngest;
  benchExport: typeof benchExport;
}

const api: BenchApi = { benchReady: () => ready, benchReadOnly, benchIngest, benchExport };
Object.assign(window, api);
