/**
 * The bytes of an export's parts as a stream of large chunks: the parts are taken a chunk's
 * worth at a time (about CHUNK_BYTES of output), the ranges among them are read from their
 * sources in a few large reads (ranges near each other in the file share one read; ranges
 * far apart get their own, so a sparse selection does not read the gaps), and headers and
 * packet bytes are copied together into the chunk. A million packets cost a few hundred
 * reads and chunks, not millions, in the CLI as in the tab.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { Part } from './capture-export.ts';

export const CHUNK_BYTES = 8 * 1024 * 1024;
/** One read covers at most this much of a source... */
const SPAN_BYTES = 16 * 1024 * 1024;
/** ...and no gap wider than this between the ranges it serves. */
const GAP_BYTES = 256 * 1024;

interface Range {
  capture: number;
  from: number;
  to: number;
}

export interface ChunkOptions {
  /** Checked before each chunk: when it says so, the stream ends with an AbortError. */
  signal?: AbortSignal;
}

export async function* partChunks(parts: Iterable<Part>, sources: ByteSource[], options: ChunkOptions = {}): AsyncGenerator<Uint8Array> {
  const batch: Part[] = [];
  let batchBytes = 0;
  for (const part of parts) {
    if (!(part instanceof Uint8Array) && part.to - part.from > CHUNK_BYTES) {
      // A range longer than a chunk (a pcap's run of its own records) is chunks of its own, as read.
      if (batchBytes > 0) yield await assemble(batch.splice(0), batchBytes, sources);
      batchBytes = 0;
      for (let at = part.from; at < part.to; at += CHUNK_BYTES) {
        options.signal?.throwIfAborted();
        yield await readFully(sources[part.capture], at, Math.min(part.to, at + CHUNK_BYTES));
      }
      continue;
    }
    batch.push(part);
    batchBytes += part instanceof Uint8Array ? part.length : part.to - part.from;
    if (batchBytes < CHUNK_BYTES) continue;
    options.signal?.throwIfAborted();
    yield await assemble(batch.splice(0), batchBytes, sources);
    batchBytes = 0;
  }
  options.signal?.throwIfAborted();
  if (batchBytes > 0) yield await assemble(batch, batchBytes, sources);
}

/** One chunk: the batch's ranges read in planned reads, then everything copied in order. */
async function assemble(batch: Part[], bytes: number, sources: ByteSource[]): Promise<Uint8Array> {
  const ranges = batch.filter((p): p is Range => !(p instanceof Uint8Array));
  const { reads, readOf } = planReads(ranges);
  const data = await Promise.all(reads.map((r) => readFully(sources[r.capture], r.from, r.to)));
  const out = new Uint8Array(bytes);
  let used = 0;
  let k = 0;
  for (const part of batch) {
    if (part instanceof Uint8Array) {
      out.set(part, used);
      used += part.length;
    } else {
      const read = reads[readOf[k++]];
      out.set(data[readOf[k - 1]].subarray(part.from - read.from, part.to - read.from), used);
      used += part.to - part.from;
    }
  }
  return out;
}

/**
 * Reads that cover the ranges, by source and offset, neighbours merged within GAP_BYTES and
 * SPAN_BYTES; `readOf[i]`: the read that holds range i.
 */
function planReads(ranges: Range[]): { reads: Range[]; readOf: Uint32Array } {
  const order = Uint32Array.from(ranges.keys());
  if (!inOrder(ranges)) order.sort((i, j) => ranges[i].capture - ranges[j].capture || ranges[i].from - ranges[j].from);
  const reads: Range[] = [];
  const readOf = new Uint32Array(ranges.length);
  for (const i of order) {
    const r = ranges[i];
    const last = reads[reads.length - 1];
    if (last && last.capture === r.capture && r.from <= last.to + GAP_BYTES && Math.max(last.to, r.to) - last.from <= SPAN_BYTES)
      last.to = Math.max(last.to, r.to);
    else reads.push({ capture: r.capture, from: r.from, to: r.to });
    readOf[i] = reads.length - 1;
  }
  return { reads, readOf };
}

function inOrder(ranges: Range[]): boolean {
  for (let i = 1; i < ranges.length; i++) {
    const a = ranges[i - 1];
    const b = ranges[i];
    if (b.capture < a.capture || (b.capture === a.capture && b.from < a.from)) return false;
  }
  return true;
}

/** A short read means the source no longer holds what the capture's offsets say: refused, not padded. */
async function readFully(source: ByteSource, from: number, to: number): Promise<Uint8Array> {
  const bytes = await source.read(from, to - from);
  if (bytes.length < to - from) throw new Error(`${source.name}: ${to - from} bytes expected at offset ${from}, ${bytes.length} there`);
  return bytes;
}
