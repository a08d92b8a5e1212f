/**
 * Where an export's chunks (megabytes of headers and packet bytes copied together, see
 * part-stream.ts) go in the tab, in bounded worker memory:
 * - planBlob: folded into Blobs as they are made. The worker holds a few chunks at a time;
 *   the browser keeps the Blob's bytes (Chromium in memory up to its blob limit, about 2 GB,
 *   then on disk where the profile has a directory). A Blob of millions of small parts, a
 *   header and a File slice per packet, is what this replaces: Chromium does not cope.
 * - planFile: written to a file the user picked (File System Access), nothing held at all.
 *   The browser writes to a temporary file and puts it in place on close, so a failed or
 *   cancelled export leaves the file as it was.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { ExportPlan } from './capture-export.ts';
import { partChunks } from './part-stream.ts';

export interface ExportProgress {
  packets: number;
  packetsTotal: number;
  bytes: number;
  bytesTotal: number;
  elapsedMs: number;
  done: boolean;
}

export interface ExportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

/** What planFile needs of a FileSystemFileHandle (so Node tests can give a stand-in). */
export interface WritableFile {
  createWritable(): Promise<{ write(chunk: Uint8Array<ArrayBuffer>): Promise<void>; close(): Promise<void>; abort(): Promise<void> }>;
  getFile(): Promise<Blob>;
}

/** Chunks are handed to the browser in Blobs of about this much. */
const FOLD_BYTES = 64 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
export const PCAP_MIME = 'application/vnd.tcpdump.pcap';

export async function planBlob(plan: ExportPlan, sources: ByteSource[], options: ExportOptions = {}): Promise<Blob> {
  const folded: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  await eachChunk(plan, sources, options, (chunk) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < FOLD_BYTES) return;
    folded.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  });
  return new Blob([...folded, ...pending], { type: PCAP_MIME });
}

/** Writes the export to `file`; its contents as written come back (a File, nothing in memory). */
export async function planFile(plan: ExportPlan, sources: ByteSource[], file: WritableFile, options: ExportOptions = {}): Promise<Blob> {
  const writable = await file.createWritable();
  try {
    await eachChunk(plan, sources, options, (chunk) => writable.write(chunk));
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => {});
    throw error;
  }
  return file.getFile();
}

/** The plan's chunks in order, each handed to `put` (awaited), with progress as they go. */
async function eachChunk(
  plan: ExportPlan,
  sources: ByteSource[],
  options: ExportOptions,
  put: (chunk: Uint8Array<ArrayBuffer>) => void | Promise<void>,
): Promise<void> {
  const started = performance.now();
  let lastReport = -Infinity;
  let bytes = 0;
  const report = (done: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (!done && now - lastReport < PROGRESS_INTERVAL_MS)) return;
    lastReport = now;
    options.onProgress({
      packets: done ? plan.packets : plan.packetsTaken,
      packetsTotal: plan.packets,
      bytes,
      bytesTotal: plan.bytes,
      elapsedMs: now - started,
      done,
    });
  };
  report(false);
  for await (const chunk of partChunks(plan.parts, sources, { signal: options.signal })) {
    await put(chunk as Uint8Array<ArrayBuffer>);
    bytes += chunk.length;
    report(false);
  }
  // A plan is sized before it is made: a mismatch is a bug here, not a file to hand out.
  if (bytes !== plan.bytes) throw new Error(`the export came to ${bytes} bytes, ${plan.bytes} were planned`);
  report(true);
}
