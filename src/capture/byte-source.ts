/**
 * Readers never see a whole file: they ask a ByteSource for `lengthBytes` at `offsetBytes`.
 * One implementation wraps a browser File/Blob, one a Node FileHandle (node-file-source.ts),
 * so the same reader runs in a worker and in the CLI.
 */
import { CaptureChanged } from './capture-changed.ts';

export interface ByteSource {
  readonly name: string;
  readonly sizeBytes: number;
  read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array>;
  /**
   * Like read, but the bytes may live in a buffer that is reused by the third following
   * readShared call: for the ingest loop, which is done with a chunk by then.
   */
  readShared?(offsetBytes: number, lengthBytes: number): Promise<Uint8Array>;
  /** A sequential stream of the whole source, for decompression. */
  stream(): ReadableStream<Uint8Array>;
  /**
   * The whole source in order, in chunks of about chunkBytes, read ahead on another thread
   * where the platform allows it (see workers/chunk-reader.ts): then reading overlaps parsing.
   */
  sequential?(chunkBytes: number): AsyncIterable<Uint8Array>;
  close?(): Promise<void>;
}

export type SequentialReader = (blob: Blob, chunkBytes: number) => AsyncIterable<Uint8Array>;

export function blobSource(blob: Blob, name = (blob as File).name ?? 'capture', sequentialReader?: SequentialReader): ByteSource {
  return {
    name,
    sizeBytes: blob.size,
    sequential: sequentialReader && ((chunkBytes) => sequentialReader(blob, chunkBytes)),
    async read(offsetBytes, lengthBytes) {
      const end = Math.min(blob.size, offsetBytes + lengthBytes);
      try {
        return new Uint8Array(await blob.slice(offsetBytes, end).arrayBuffer());
      } catch (error) {
        // Chromium fails reads of a File whose file changed on disk (NotReadableError).
        throw new CaptureChanged(name, `the browser refused to read it: ${(error as Error).name ?? error}`, { cause: error });
      }
    },
    stream: () => blob.stream() as ReadableStream<Uint8Array>,
  };
}

/** For tests and small in-memory captures. */
export function bytesSource(bytes: Uint8Array, name = 'bytes'): ByteSource {
  return {
    name,
    sizeBytes: bytes.length,
    async read(offsetBytes, lengthBytes) {
      return bytes.subarray(offsetBytes, Math.min(bytes.length, offsetBytes + lengthBytes));
    },
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
  };
}
