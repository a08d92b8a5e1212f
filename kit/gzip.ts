// gzip for generated captures (Node only, unlike the rest of the kit's writers).
import { gzipSync, type ZlibOptions } from 'node:zlib';

/** Deterministic: Node's gzip header carries no file name or time. */
export function gzipBytes(u8: Uint8Array, options?: ZlibOptions): Uint8Array {
  return new Uint8Array(gzipSync(u8, options));
}
