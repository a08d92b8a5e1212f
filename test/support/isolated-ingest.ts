// Runs ingest() in a worker thread, one job at a time, so that a reader that never returns
// fails the test (the worker is terminated after a timeout) instead of hanging it.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { bytesSource } from '../../src/capture/byte-source.ts';
import { nodeFileSource } from '../../src/capture/node-file-source.ts';
import { NotACapture } from '../../src/capture/packet-sink.ts';
import type { ReadResult } from '../../src/capture/read-capture.ts';
import { ingest, type CaptureWarning } from '../../src/store/capture.ts';

export interface IngestJob {
  /** The capture, in memory; or `path`, read with nodeFileSource. */
  bytes?: Uint8Array;
  path?: string;
  chunkBytes?: number;
}

/** What ingest returned, as plain data. */
export interface IngestOutcome {
  /** Wall time of ingest() inside the worker. */
  ms: number;
  /** When ingest threw: whether it was NotACapture, and the error as text. */
  error?: { notACapture: boolean; text: string };
  read?: ReadResult;
  warnings: CaptureWarning[];
  interfaces: number;
  packets: Packets;
}

/** The store's columns, row i = packet i + 1. */
export interface Packets {
  sec: number[];
  ns: number[];
  capLen: number[];
  origLen: number[];
  iface: number[];
  offset: number[];
  comments: [row: number, texts: string[]][];
}

const ROLE = 'isolated-ingest';

export class IsolatedIngest {
  private worker: Worker | null = null;

  /** Resolves with the outcome, or rejects when ingest has not returned within timeoutMs. */
  run(job: IngestJob, timeoutMs: number): Promise<IngestOutcome> {
    const worker = (this.worker ??= startWorker());
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (outcome: IngestOutcome) => {
        done();
        resolve(outcome);
      };
      const onError = (error: Error) => {
        done();
        this.worker = null;
        reject(error);
      };
      const timer = setTimeout(() => {
        done();
        this.worker = null;
        void worker.terminate();
        reject(new Error(`ingest did not return within ${timeoutMs} ms`));
      }, timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}

function startWorker(): Worker {
  // Workers do not inherit tsx's loader before their entry module loads: register it first.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(boot, { eval: true, workerData: ROLE });
  worker.unref();
  return worker;
}

async function runJob(job: IngestJob): Promise<IngestOutcome> {
  const source = job.path !== undefined ? await nodeFileSource(job.path) : bytesSource(job.bytes!);
  const started = performance.now();
  try {
    const { capture, read } = await ingest(source, { chunkBytes: job.chunkBytes });
    const ms = performance.now() - started;
    const { store } = capture;
    const rows = Array.from({ length: store.length }, (_, i) => i);
    return {
      ms,
      read,
      warnings: capture.warnings,
      interfaces: capture.interfaces.length,
      packets: {
        sec: rows.map((i) => store.sec(i)),
        ns: Array.from(store.tsNs),
        capLen: Array.from(store.capLen),
        origLen: Array.from(store.origLen),
        iface: Array.from(store.iface),
        offset: Array.from(store.offset),
        comments: [...capture.comments],
      },
    };
  } catch (error) {
    const ms = performance.now() - started;
    const empty: Packets = { sec: [], ns: [], capLen: [], origLen: [], iface: [], offset: [], comments: [] };
    return {
      ms,
      error: { notACapture: error instanceof NotACapture, text: String((error as Error)?.stack ?? error) },
      warnings: [],
      interfaces: 0,
      packets: empty,
    };
  } finally {
    await source.close?.();
  }
}

if (!isMainThread && workerData === ROLE) {
  parentPort!.on('message', async (job: IngestJob) => parentPort!.postMessage(await runJob(job)));
}
