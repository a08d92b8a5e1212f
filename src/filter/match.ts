/**
 * Which packets of a capture a filter matches. The flow dictionary answers first (one
 * answer per flow, then one byte per packet); only packets it cannot answer (byte-offset
 * loads, malformed frames, link types it does not cover) have their bytes re-read, in
 * large reads over runs of such packets, never one read per packet.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { Capture } from '../store/capture.ts';
import { FLAG_MALFORMED_MASK, type PacketStore } from '../store/packet-store.ts';
import { visitRowBytes } from '../store/row-bytes.ts';
import type { CompiledFilter } from './compile.ts';
import { FrameEvaluator } from './evaluate.ts';
import { FlowAnswers, NO, UNKNOWN, YES } from './flow-answers.ts';

const ROWS_PER_SLICE = 1 << 20;
const ETHERNET = 1;

export interface MatchOptions {
  cancelled?: () => boolean;
  /** false: evaluate every packet from its bytes (the reference the flow answers are tested against). */
  useFlows?: boolean;
}

/** Rows (frame - 1) that match, ascending; empty when cancelled. */
export async function matchingRows(capture: Capture, source: ByteSource, filter: CompiledFilter, options: MatchOptions = {}): Promise<Uint32Array> {
  const { store } = capture;
  const n = store.length;
  const cancelled = options.cancelled ?? (() => false);
  if (!filter.root) return Uint32Array.from({ length: n }, (_, i) => i);
  const flows = options.useFlows !== false ? new FlowAnswers(filter.root, capture) : null;
  if (flows) {
    const direct = rowsFromFlowsAlone(capture, flows);
    if (direct) return direct;
  }
  const answer = new Uint8Array(n).fill(UNKNOWN);
  let count = 0;
  if (flows) count += await answerFromFlows(capture, flows, answer, cancelled);
  count += await answerFromBytes(capture, source, new FrameEvaluator(filter.root), answer, cancelled);
  return cancelled() ? new Uint32Array(0) : rowsAnswered(answer, count);
}

/**
 * When every flow is decided and every packet is a well-formed Ethernet frame, the rows come
 * straight from the flow answers: one pass to count, one to collect, no byte per packet.
 * Null when some packet needs more (the general path then takes over).
 */
function rowsFromFlowsAlone(capture: Capture, flows: FlowAnswers): Uint32Array | null {
  const { byFlow, lengthDependent } = flows;
  if (lengthDependent || byFlow.includes(UNKNOWN) || !capture.interfaces.every((i) => i.linkType === ETHERNET)) return null;
  const { flow, flags, length: n } = capture.store;
  let count = 0;
  for (let r = 0; r < n; r++) {
    if (flags[r] & FLAG_MALFORMED_MASK) return null;
    count += byFlow[flow[r]];
  }
  const rows = new Uint32Array(count);
  for (let r = 0, k = 0; k < count; r++) if (byFlow[flow[r]] === YES) rows[k++] = r;
  return rows;
}

function rowsAnswered(answer: Uint8Array, count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let r = 0, k = 0; r < answer.length; r++) if (answer[r] === YES) rows[k++] = r;
  return rows;
}

/** Returns how many packets match. */
async function answerFromFlows(capture: Capture, flows: FlowAnswers, answer: Uint8Array, cancelled: () => boolean): Promise<number> {
  const ethernetIface = Uint8Array.from(capture.interfaces, (i) => (i.linkType === ETHERNET ? 1 : 0));
  let matched = 0;
  for (let start = 0; start < capture.store.length; start += ROWS_PER_SLICE) {
    // Yield between slices so a newer filter can cancel this one.
    await Promise.resolve();
    if (cancelled()) return 0;
    matched += answerSlice(capture.store, flows, ethernetIface, answer, start, Math.min(capture.store.length, start + ROWS_PER_SLICE));
  }
  return matched;
}

/** Kept out of the async function: V8 optimises a plain loop far better. */
function answerSlice(store: PacketStore, flows: FlowAnswers, ethernetIface: Uint8Array, answer: Uint8Array, start: number, end: number): number {
  const { byFlow, lengthDependent } = flows;
  const allEthernet = ethernetIface.every((e) => e === 1);
  const { flow, flags, iface, origLen } = store;
  let matched = 0;
  for (let r = start; r < end; r++) {
    if ((flags[r] & FLAG_MALFORMED_MASK) !== 0 || (!allEthernet && ethernetIface[iface[r]] === 0)) continue;
    let a = byFlow[flow[r]];
    if (a === UNKNOWN && lengthDependent) a = flows.packet(flow[r], origLen[r]);
    answer[r] = a;
    matched += a === YES ? 1 : 0;
  }
  return matched;
}

/** Returns how many of the packets it decides match. */
async function answerFromBytes(capture: Capture, source: ByteSource, evaluator: FrameEvaluator, answer: Uint8Array, cancelled: () => boolean): Promise<number> {
  const { store } = capture;
  let matched = 0;
  const unknown = (r: number) => answer[r] === UNKNOWN;
  const done = await visitRowBytes(
    capture,
    source,
    answer.indexOf(UNKNOWN),
    unknown,
    (after) => answer.indexOf(UNKNOWN, after + 1),
    (r, bytes, at) => {
      const hit = evaluator.matches(bytes, at, store.capLen[r], store.origLen[r], capture.interfaces[store.iface[r]].linkType);
      answer[r] = hit ? YES : NO;
      matched += hit ? 1 : 0;
    },
    cancelled,
  );
  return done ? matched : 0;
}
