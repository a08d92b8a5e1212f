import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ByteSource } from './byte-source.ts';

/**
 * FileHandle.read is the fast path under Node (~5 GB/s from the page cache, against
 * 0.4-0.7 GB/s for fs.openAsBlob().slice().arrayBuffer()). readShared rotates three
 * buffers so the ingest loop parses one chunk while the next is read, without allocating.
 */
export async function nodeFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const pool: Uint8Array[] = [];
  let nextSlot = 0;
  const clamp = (offsetBytes: number, lengthBytes: number) => Math.max(0, Math.min(lengthBytes, size - offsetBytes));
  return {
    name: basename(path),
    sizeBytes: size,
    read: (offsetBytes, lengthBytes) => readFully(handle, new Uint8Array(clamp(offsetBytes, lengthBytes)), offsetBytes),
    readShared(offsetBytes, lengthBytes) {
      const length = clamp(offsetBytes, lengthBytes);
      const slot = nextSlot++ % 3;
      if (!pool[slot] || pool[slot].length < length) pool[slot] = new Uint8Array(length);
      return readFully(handle, pool[slot].subarray(0, length), offsetBytes);
    },
    stream: () => Readable.toWeb(handle.createReadStream({ start: 0, autoClose: false })) as ReadableStream<Uint8Array>,
    close: () => handle.close(),
  };
}

async function readFully(handle: FileHandle, target: Uint8Array, offsetBytes: number): Promise<Uint8Array> {
  let filled = 0;
  while (filled < target.length) {
    const { bytesRead } = await handle.read(target, filled, target.length - filled, offsetBytes + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return target.subarray(0, filled);
}
