// RFC 1071 Internet checksum, whole or in pieces. The pieces let a generator keep the sum
// of a frame's fixed bytes and add only the words it patches per packet.
import { concat } from './bytes.ts';

/**
 * One's-complement sum of the big-endian 16-bit words of b[start, end), an odd tail padded
 * with zero, folded to 16 bits. Sums of several pieces may be added and folded again.
 */
export function onesSum(b: Uint8Array, start = 0, end = b.length): number {
  let s = 0;
  for (let i = start; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if ((end - start) & 1) s += b[end - 1] << 8;
  return foldCarries(s);
}

/** Folds carries back into 16 bits; two rounds suffice for any sum below 2^32. */
export function foldCarries(s: number): number {
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

/** The checksum field's value for the concatenation of `parts`. */
export function internetChecksum(...parts: Uint8Array[]): number {
  return ~onesSum(parts.length === 1 ? parts[0] : concat(...parts)) & 0xffff;
}
