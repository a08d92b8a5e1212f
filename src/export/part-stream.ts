/**
 * The bytes of an export's parts as a stream of large chunks, for writing to a file: ranges
 * are copied out of big reads of their source (one read serves thousands of small packets),
 * and output is gathered into chunks of about CHUNK_BYTES, so a million packets cost a few
 * hundred reads and writes, not millions.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { Part } from './capture-export.ts';

const CHUNK_BYTES = 8 * 1024 * 1024;
const READ_BYTES = 8 * 1024 * 1024;

export async function* partChunks(parts: Part[], sources: ByteSource[]): AsyncGenerator<Uint8Array> {
  let out = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  const full: Uint8Array[] = [];
  const put = (bytes: Uint8Array) => {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, out.length - used);
      out.set(bytes.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === out.length) {
        full.push(out);
        out = new Uint8Array(CHUNK_BYTES);
        used = 0;
      }
    }
  };
  const windows = new Map<number, { from: number; bytes: Uint8Array }>();
  for (const part of parts) {
    if (part instanceof Uint8Array) put(part);
    else {
      for (let at = part.from; at < part.to; ) {
        let w = windows.get(part.capture);
        if (!w || at < w.from || at >= w.from + w.bytes.length) {
          const source = sources[part.capture];
          w = { from: at, bytes: await source.read(at, Math.min(READ_BYTES, source.sizeBytes - at)) };
          if (w.bytes.length === 0) throw new Error(`${source.name}: no bytes at offset ${at}`);
          windows.set(part.capture, w);
        }
        const end = Math.min(part.to, w.from + w.bytes.length);
        put(w.bytes.subarray(at - w.from, end - w.from));
        at = end;
      }
    }
    while (full.length) yield full.shift()!;
  }
  if (used > 0) yield out.subarray(0, used);
}
