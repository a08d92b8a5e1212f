/**
 * Which packets of a capture a filter matches. Every test reads the frame's bytes (re-read
 * from the file in large sequential reads, not one read per packet), as libpcap's code does.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { Capture } from '../store/capture.ts';
import type { CompiledFilter } from './compile.ts';
import { FrameEvaluator } from './evaluate.ts';

const SPAN_BYTES = 8 * 1024 * 1024;

/** Rows (frame - 1) that match, ascending. */
export async function matchingRows(capture: Capture, source: ByteSource, filter: CompiledFilter, cancelled: () => boolean = () => false): Promise<Uint32Array> {
  const { store } = capture;
  const evaluator = new FrameEvaluator(filter.root);
  const out = new Uint32Array(store.length);
  let count = 0;
  for (let row = 0; row < store.length; ) {
    // A run of rows whose bytes lie within one read.
    const first = store.offset[row];
    let end = row;
    while (end < store.length && store.offset[end] >= first && store.offset[end] + store.capLen[end] - first <= SPAN_BYTES) end++;
    if (end === row) end = row + 1;
    const last = end - 1;
    const bytes = await source.read(first, Math.max(store.offset[last] + store.capLen[last] - first, store.capLen[row]));
    if (cancelled()) break;
    for (let r = row; r < end; r++) {
      const linkType = capture.interfaces[store.iface[r]].linkType;
      if (evaluator.matches(bytes, store.offset[r] - first, store.capLen[r], store.origLen[r], linkType)) out[count++] = r;
    }
    row = end;
  }
  return out.slice(0, count);
}
