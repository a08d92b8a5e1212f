/**
 * The decompressed bytes of a gzip capture, kept as a Blob the browser may page to disk, and
 * readable while they are still arriving: packet offsets of a gzip capture count
 * decompressed bytes, so details, hex, filters and export read from here, never from the
 * compressed file. Chunks are folded into the Blob a few at a time, so the worker's heap
 * holds at most FOLD_CHUNKS of them (a Blob made of a Blob and parts refers to the first
 * without copying it).
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { DecompressedKeeper } from './capture-reading.ts';

const FOLD_CHUNKS = 8;

export class DecompressedCopy implements DecompressedKeeper {
  private blob = new Blob([]);
  private pending: Uint8Array[] = [];

  constructor(private readonly name: string) {}

  /** Takes a chunk the reader will not touch again (readCapture never reuses them). */
  add(chunk: Uint8Array): void {
    this.pending.push(chunk);
    if (this.pending.length >= FOLD_CHUNKS) this.fold();
  }

  get sizeBytes(): number {
    return this.blob.size + this.pending.reduce((n, c) => n + c.length, 0);
  }

  /** A source over what has arrived so far; reads see later chunks too. */
  source(): ByteSource {
    const copy = this;
    return {
      name: this.name,
      get sizeBytes() {
        return copy.sizeBytes;
      },
      async read(offsetBytes, lengthBytes) {
        const blob = copy.fold();
        try {
          return new Uint8Array(await blob.slice(offsetBytes, Math.min(blob.size, offsetBytes + lengthBytes)).arrayBuffer());
        } catch (error) {
          // Not the user's file: the browser lost the Blob we made (out of room for Blobs, typically).
          throw new Error(
            `the decompressed copy of ${copy.name} could not be read back (${(error as Error).name ?? error}: the browser may be out of memory for it); open the file again, or decompress it first`,
            { cause: error },
          );
        }
      },
      stream: () => copy.fold().stream() as ReadableStream<Uint8Array>,
    };
  }

  private fold(): Blob {
    if (this.pending.length) {
      this.blob = new Blob([this.blob, ...(this.pending as Uint8Array<ArrayBuffer>[])]);
      this.pending = [];
    }
    return this.blob;
  }
}
