/**
 * What identifies a capture's content, for marks saved across reloads: its size, its packet
 * count and a SHA-256 of 16 blocks of 4 KiB spread over it (a file renamed keeps its marks;
 * another file under the same name does not get them).
 */
import type { ByteSource } from '../capture/byte-source.ts';

const SAMPLE_BLOCKS = 16;
const SAMPLE_BYTES = 4096;

export async function fingerprint(source: ByteSource, packets: number): Promise<string> {
  const blocks: Uint8Array[] = [];
  const step = Math.max(1, Math.floor(source.sizeBytes / SAMPLE_BLOCKS));
  for (let i = 0; i < SAMPLE_BLOCKS && i * step < source.sizeBytes; i++) blocks.push(await source.read(i * step, SAMPLE_BYTES));
  const joined = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    joined.set(b, at);
    at += b.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
  const hex = Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${source.sizeBytes}-${packets}-${hex}`;
}
