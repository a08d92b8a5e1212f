/**
 * `stats` of a large classic pcap on two threads: this thread reads the first half, a
 * worker thread the second, from a record start found near the middle. The halves' figures
 * merge exactly (counts add, times widen). If the first half does not end exactly on that
 * record start, the guess was wrong and the file is read again on one thread.
 */
import { Worker } from 'node:worker_threads';
import type { ByteSource } from '../capture/byte-source.ts';
import { nodeFileSource } from '../capture/node-file-source.ts';
import { maxRecordBytes } from '../capture/packet-sink.ts';
import { findRecordStart } from '../capture/pcap-boundary.ts';
import { sniffFormat } from '../capture/sniff.ts';
import { ingest } from '../store/capture.ts';
import { captureSummary, mergeParts, type CaptureSummary } from '../store/summary.ts';

const SPLIT_ABOVE_BYTES = 256 * 1024 * 1024;
const PCAP_HEADER_BYTES = 24;

/** One file's summary, on two threads when it is a large classic pcap. */
export async function fileSummary(path: string): Promise<CaptureSummary> {
  const source = await nodeFileSource(path);
  try {
    const boundary = source.sizeBytes > SPLIT_ABOVE_BYTES ? await middleRecordStart(source) : -1;
    if (boundary > 0) {
      const halves = await readHalves(source, path, boundary);
      if (halves) return halves;
    }
    return await readWhole(source);
  } finally {
    await source.close?.();
  }
}

export async function readWhole(source: ByteSource): Promise<CaptureSummary> {
  const { capture, read, ingestMs } = await ingest(source, { forViewer: false });
  return captureSummary(capture, read.compressed ? `${read.format}.gz` : read.format, ingestMs);
}

async function middleRecordStart(source: ByteSource): Promise<number> {
  const head = (await source.read(0, PCAP_HEADER_BYTES + 16)).slice();
  if (sniffFormat(head) !== 'pcap' || head.length < PCAP_HEADER_BYTES + 16) return -1;
  const view = new DataView(head.buffer);
  const littleEndian = head[0] === 0xd4 || head[0] === 0x4d;
  const nanos = head[0] === 0x4d || head[3] === 0x4d;
  const linkType = view.getUint32(20, littleEndian) & 0xffff;
  const layout = { littleEndian, fracPerSec: nanos ? 1e9 : 1e6, maxRecordBytes: maxRecordBytes(linkType), firstSec: view.getUint32(24, littleEndian) };
  const middle = Math.floor(source.sizeBytes / 2);
  const window = await source.read(middle, 4 * 1024 * 1024);
  const at = findRecordStart(window, layout);
  return at < 0 ? -1 : middle + at;
}

async function readHalves(source: ByteSource, path: string, boundary: number): Promise<CaptureSummary | null> {
  const second = runWorker(path, boundary);
  const { capture, read, ingestMs } = await ingest(limitTo(source, boundary), { forViewer: false });
  // Ending inside a record means the guessed start was not one: read the file whole.
  if (read.damage) {
    second.catch(() => {});
    return null;
  }
  const first = captureSummary(capture, read.format, ingestMs);
  return mergeParts(first, await second);
}

/** The first `sizeBytes` of a source, as a source of its own. */
function limitTo(source: ByteSource, sizeBytes: number): ByteSource {
  return { ...source, sizeBytes, close: undefined, readShared: source.readShared?.bind(source), read: source.read.bind(source) };
}

function runWorker(path: string, boundary: number): Promise<CaptureSummary> {
  // Under tsx the worker is the .ts module; in the CLI's bundle, its bundled twin.
  const typescript = import.meta.url.endsWith('.ts');
  const url = new URL(typescript ? './split-worker.ts' : './split-worker.mjs', import.meta.url);
  const worker = new Worker(url, { workerData: { path, boundary }, execArgv: typescript ? ['--import', 'tsx'] : [] });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
