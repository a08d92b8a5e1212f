/**
 * Drives a format parser over a ByteSource in chunks. The next chunk is requested before
 * the current one is parsed, so parsing hides behind the read; only a record that
 * straddles two chunks is copied. gzip input is decompressed as a stream.
 */
import type { ByteSource } from './byte-source.ts';
import { CaptureDamage, NotACapture, type PacketSink, type RecordParser } from './packet-sink.ts';
import { PcapParser } from './pcap.ts';
import { PcapngParser } from './pcapng.ts';
import {
  BudgetExceeded,
  budgetStopText,
  decompressedBudgetExceeded,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_PACKETS,
  isAllocationFailure,
  storeLimitReached,
  type BudgetKind,
  type ReadBudgets,
} from './read-budget.ts';
import { describeUnknown, sniffFormat } from './sniff.ts';

export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface ReadOptions extends ReadBudgets {
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes of the source consumed so far. */
  onProgress?: (bytesRead: number) => void;
  /**
   * For gzip input: receives each decompressed chunk, e.g. to keep a re-readable copy; the
   * chunk is not reused. Reading waits for a returned promise (a file write keeps pace).
   */
  onDecompressed?: (chunk: Uint8Array) => unknown;
}

export interface ReadResult {
  format: 'pcap' | 'pcapng';
  compressed: boolean;
  bytesRead: number;
  cancelled: boolean;
  /** Where reading stopped early, and why (truncated or corrupt input, or a budget reached). */
  damage?: { offsetBytes: number; reason: string; budget?: BudgetKind };
}

export async function readCapture(source: ByteSource, sink: PacketSink, options: ReadOptions = {}): Promise<ReadResult> {
  const head = await source.read(0, 4);
  const sniffed = sniffFormat(head);
  if (sniffed === 'unknown') throw new NotACapture(describeUnknown(head));
  if (sniffed === 'gzip') return readGzip(source, sink, options);
  const parser = makeParser(sniffed, sink, options);
  const chunks = chunksOf(source, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  return drive(parser, chunks, sink, options, false);
}

function makeParser(format: 'pcap' | 'pcapng', sink: PacketSink, options: ReadOptions): RecordParser {
  const maxPackets = options.maxPackets ?? DEFAULT_MAX_PACKETS;
  return format === 'pcap' ? new PcapParser(sink, maxPackets) : new PcapngParser(sink, maxPackets);
}

/** How long a read may run without letting its thread's other tasks (a cancel) in. */
const YIELD_MS = 50;

interface Chunk {
  bytes: Uint8Array;
  offsetBytes: number;
  /** Bytes of the underlying source consumed, for progress (differs under gzip). */
  sourceBytes: number;
}

/** Random-access chunks with one read always in flight, or the source's own read-ahead. */
async function* chunksOf(source: ByteSource, chunkBytes: number): AsyncGenerator<Chunk> {
  if (source.sequential) {
    let offset = 0;
    for await (const bytes of source.sequential(chunkBytes)) {
      const chunkOffset = offset;
      offset += bytes.length;
      yield { bytes, offsetBytes: chunkOffset, sourceBytes: offset };
    }
    return;
  }
  const read = (source.readShared ?? source.read).bind(source);
  let offset = 0;
  let pending = offset < source.sizeBytes ? read(offset, chunkBytes) : null;
  while (pending) {
    const bytes = await pending;
    if (bytes.length === 0) return;
    const chunkOffset = offset;
    offset += bytes.length;
    pending = offset < source.sizeBytes ? read(offset, chunkBytes) : null;
    yield { bytes, offsetBytes: chunkOffset, sourceBytes: offset };
  }
}

async function drive(parser: RecordParser, chunks: AsyncIterable<Chunk>, sink: PacketSink, options: ReadOptions, compressed: boolean): Promise<ReadResult> {
  const result: ReadResult = { format: parser.format, compressed, bytesRead: 0, cancelled: false };
  let carry: Uint8Array | null = null;
  let carryOffset = 0;
  let yieldedAt = performance.now();
  try {
    for await (const chunk of chunks) {
      // A gzip stream's chunks come in microtasks only: give the thread's task queue a turn now
      // and then, or a cancel (a message) would only be read after the whole file.
      if (options.signal && performance.now() - yieldedAt >= YIELD_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yieldedAt = performance.now();
      }
      if (options.signal?.aborted) {
        result.cancelled = true;
        break;
      }
      let pos = 0;
      if (carry) {
        const joined = completeCarried(parser, carry, carryOffset, chunk.bytes);
        if (joined.consumedFromChunk < 0) {
          carry = joined.carry;
          result.bytesRead = chunk.sourceBytes;
          continue;
        }
        pos = joined.consumedFromChunk;
        carry = null;
      }
      const used = parse(parser, chunk.bytes, pos, chunk.bytes.length, chunk.offsetBytes);
      if (used < chunk.bytes.length) {
        carry = chunk.bytes.slice(used);
        carryOffset = chunk.offsetBytes + used;
      }
      result.bytesRead = chunk.sourceBytes;
      options.onProgress?.(chunk.sourceBytes);
    }
    if (carry && !result.cancelled) {
      if (!parser.started) throw new NotACapture(`file ends inside the ${parser.format} header (${carry.length} bytes)`);
      throw new CaptureDamage(carryOffset, `file ends inside a record (${carry.length} bytes of it present)`);
    }
    if (!parser.started && !result.cancelled) throw new NotACapture(`empty ${parser.format} file`);
  } catch (error) {
    if (!(error instanceof CaptureDamage)) throw error;
    result.damage = { offsetBytes: error.offsetBytes, reason: error.reason };
    if (error instanceof BudgetExceeded) {
      result.damage.budget = error.budget;
      sink.warn('budget', budgetStopText(parser.packets, error.offsetBytes, error.reason), error.offsetBytes);
    } else {
      sink.warn('damaged', `stopped reading: ${error.message}`, error.offsetBytes);
    }
  }
  return result;
}

/** parser.parse, with a failed allocation in the sink's store turned into a stop at that record. */
function parse(parser: RecordParser, bytes: Uint8Array, start: number, end: number, baseOffsetBytes: number): number {
  try {
    return parser.parse(bytes, start, end, baseOffsetBytes);
  } catch (error) {
    if (isAllocationFailure(error)) throw storeLimitReached(parser.packets, parser.recordOffsetBytes, error);
    throw error;
  }
}

/**
 * Joins the carried partial record with just enough of the next chunk to finish it.
 * Returns how far into the chunk parsing got, or -1 with a longer carry when even the
 * whole chunk did not complete the record.
 */
function completeCarried(parser: RecordParser, carry: Uint8Array, carryOffset: number, chunk: Uint8Array): { consumedFromChunk: number; carry: Uint8Array } {
  let take = Math.min(chunk.length, 64 * 1024);
  for (;;) {
    const joined = new Uint8Array(carry.length + take);
    joined.set(carry);
    joined.set(chunk.subarray(0, take), carry.length);
    const used = parse(parser, joined, 0, joined.length, carryOffset);
    if (used >= carry.length) return { consumedFromChunk: used - carry.length, carry };
    if (take === chunk.length) return { consumedFromChunk: -1, carry: joined };
    take = Math.min(chunk.length, take * 8);
  }
}

async function readGzip(source: ByteSource, sink: PacketSink, options: ReadOptions): Promise<ReadResult> {
  let compressedBytes = 0;
  const pieceBytes = Math.min(64 * 1024, Math.max(512, Math.ceil(source.sizeBytes / 256)));
  const counted = source.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      // Small pieces: on junk after the gzip data the decompressor drops the output of the
      // whole piece it was given, so this bounds what such a file loses (1/256 of it, at
      // most 64 KB of compressed bytes).
      transform(chunk, controller) {
        for (let at = 0; at < chunk.length; at += pieceBytes) {
          const piece = chunk.subarray(at, at + pieceBytes);
          compressedBytes += piece.length;
          controller.enqueue(piece);
        }
      },
      // An empty last write waits until the output of the previous one has been read, so a
      // truncated file's error (raised when the input closes) cannot discard that output.
      flush(controller) {
        controller.enqueue(new Uint8Array(0));
      },
    }),
  );
  const inflated = counted.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const chunks = gather(inflated, chunkBytes, maxBytes, () => compressedBytes, options.onDecompressed);
  let first: IteratorResult<Chunk>;
  try {
    first = await chunks.next();
  } catch (error) {
    if (!(error instanceof CaptureDamage)) throw error;
    throw new NotACapture(error instanceof BudgetExceeded ? error.reason : 'gzip data is corrupt or truncated before any capture data could be read');
  }
  if (first.done) throw new NotACapture('gzip file holds no data');
  const format = sniffFormat(first.value.bytes);
  if (format !== 'pcap' && format !== 'pcapng') throw new NotACapture(`gzip file does not hold a capture: ${describeUnknown(first.value.bytes)}`);
  const replay = (async function* () {
    yield first.value;
    yield* chunks;
  })();
  return drive(makeParser(format, sink, options), replay, sink, options, true);
}

/**
 * Gathers the small chunks a decompressor yields into chunkBytes-sized ones, and stops at
 * maxBytes of output: what came before the budget is parsed, then reading stops as damage.
 */
async function* gather(
  stream: ReadableStream<Uint8Array>,
  chunkBytes: number,
  maxBytes: number,
  sourceBytes: () => number,
  onChunk?: (chunk: Uint8Array) => unknown,
): AsyncGenerator<Chunk> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  let offset = 0;
  const flush = async (): Promise<Chunk> => {
    const bytes = buffer.subarray(0, filled);
    await onChunk?.(bytes);
    const chunk = { bytes, offsetBytes: offset, sourceBytes: sourceBytes() };
    offset += filled;
    buffer = new Uint8Array(chunkBytes);
    filled = 0;
    return chunk;
  };
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (error) {
      const at = offset + filled;
      if (filled > 0) yield await flush();
      throw new CaptureDamage(at, `gzip data is corrupt or truncated (${(error as Error).message}); the offset counts decompressed bytes`);
    }
    if (next.done) {
      if (filled > 0) yield await flush();
      return;
    }
    const room = maxBytes - offset - filled;
    const value = next.value.length > room ? next.value.subarray(0, room) : next.value;
    if (filled + value.length > buffer.length && filled > 0) yield await flush();
    if (value.length > buffer.length) buffer = new Uint8Array(value.length);
    buffer.set(value, filled);
    filled += value.length;
    if (value.length < next.value.length) {
      if (filled > 0) yield await flush();
      reader.cancel().catch(() => {});
      throw decompressedBudgetExceeded(maxBytes, offset);
    }
  }
}
