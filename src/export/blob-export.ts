/**
 * An export as a Blob, in bounded memory: the plan's chunks (megabytes of headers and packet
 * bytes copied together, see part-stream.ts) are folded into Blobs as they are made, so the
 * worker holds a few chunks at a time while the browser keeps the rest (Chromium holds Blob
 * data in its browser process and pages large ones to disk). A Blob of millions of small
 * parts, a header and a File slice per packet, is what this replaces: Chromium does not cope.
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

/** Chunks are handed to the browser in Blobs of about this much. */
const FOLD_BYTES = 64 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
export const PCAP_MIME = 'application/vnd.tcpdump.pcap';

export async function planBlob(plan: ExportPlan, sources: ByteSource[], options: ExportOptions = {}): Promise<Blob> {
  const started = performance.now();
  let lastReport = -Infinity;
  const report = (bytes: number, done: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (!done && now - lastReport < PROGRESS_INTERVAL_MS)) return;
    lastReport = now;
    options.onProgress({ packets: done ? plan.packets : plan.packetsTaken, packetsTotal: plan.packets, bytes, bytesTotal: plan.bytes, elapsedMs: now - started, done });
  };
  const folded: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  report(0, false);
  for await (const chunk of partChunks(plan.parts, sources, { signal: options.signal })) {
    pending.push(chunk as Uint8Array<ArrayBuffer>);
    pendingBytes += chunk.length;
    bytes += chunk.length;
    if (pendingBytes >= FOLD_BYTES) {
      folded.push(new Blob(pending));
      pending = [];
      pendingBytes = 0;
    }
    report(bytes, false);
  }
  // A plan is sized before it is made: a mismatch is a bug here, not a file to hand out.
  if (bytes !== plan.bytes) throw new Error(`the export came to ${bytes} bytes, ${plan.bytes} were planned`);
  const blob = new Blob([...folded, ...pending], { type: PCAP_MIME });
  report(bytes, true);
  return blob;
}
