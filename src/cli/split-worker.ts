/**
 * The second half of a split `stats` read (see split-read.ts): the file's 24-byte pcap
 * header followed by its bytes from `boundary` on, read as one capture.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ByteSource } from '../capture/byte-source.ts';
import { nodeFileSource } from '../capture/node-file-source.ts';
import { readWhole } from './split-read.ts';

const HEADER = 24;
const { path, boundary } = workerData as { path: string; boundary: number };
const file = await nodeFileSource(path);
const header = (await file.read(0, HEADER)).slice();

/** Offsets past the header map to the file from `boundary` on. */
function fromBoundary(offsetBytes: number, lengthBytes: number, read: (o: number, l: number) => Promise<Uint8Array>): Promise<Uint8Array> {
  if (offsetBytes >= HEADER) return read(boundary + offsetBytes - HEADER, lengthBytes);
  return Promise.resolve(header.subarray(offsetBytes, Math.min(HEADER, offsetBytes + lengthBytes)));
}

const source: ByteSource = {
  ...file,
  sizeBytes: HEADER + file.sizeBytes - boundary,
  read: (o, l) => fromBoundary(o, l, file.read.bind(file)),
  readShared: (o, l) => fromBoundary(o, l, file.readShared!.bind(file)),
};
const summary = await readWhole(source);
for (const w of summary.warnings) if (w.offsetBytes !== undefined && w.offsetBytes >= HEADER) w.offsetBytes += boundary - HEADER;
parentPort!.postMessage(summary);
await file.close?.();
