/**
 * The bytes of chosen packets, re-read from the source in large reads over runs of them
 * (packets farther apart than GAP_BYTES start a new read), never one read per packet.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { Capture } from './capture.ts';

const SPAN_BYTES = 8 * 1024 * 1024;
const GAP_BYTES = 256 * 1024;

/**
 * Calls `visit(row, bytes, at)` in file order for each row from `first` on that `wanted`
 * says yes to (`at`: where its frame starts in `bytes`). `next(after)` gives the next wanted
 * row after `after`, or -1. Returns false when cancelled.
 */
export async function visitRowBytes(
  capture: Capture,
  source: ByteSource,
  first: number,
  wanted: (row: number) => boolean,
  next: (after: number) => number,
  visit: (row: number, bytes: Uint8Array, at: number) => void,
  cancelled: () => boolean = () => false,
): Promise<boolean> {
  const { offset, capLen, length: n } = capture.store;
  for (let row = first; row >= 0 && row < n; ) {
    const from = offset[row];
    let last = row;
    let end = row + 1;
    for (let r = row + 1; r < n; r++) {
      if (offset[r] < from || offset[r] + capLen[r] - from > SPAN_BYTES || offset[r] - (offset[last] + capLen[last]) > GAP_BYTES) break;
      if (!wanted(r)) continue;
      last = r;
      end = r + 1;
    }
    const bytes = await source.read(from, Math.max(offset[last] + capLen[last] - from, capLen[row]));
    if (cancelled()) return false;
    for (let r = row; r < end; r++) if (wanted(r)) visit(r, bytes, offset[r] - from);
    row = next(end - 1);
  }
  return true;
}
