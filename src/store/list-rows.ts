/**
 * Rows of the packet list for positions of the merged time order, with Info text computed
 * only for them: their bytes are read again from the file, adjacent ones in one read.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import { ipv4Text, ipv6Text } from '../decode/addresses.ts';
import { vendorMac } from '../decode/oui.ts';
import { decodeFrame } from '../decode/frame.ts';
import { FrameFields, NO_VLAN } from '../decode/frame-fields.ts';
import { packetInfo, TcpAnalysis as InfoFlags, type TcpInfoState } from '../decode/info.ts';
import { PROTOCOL_CLASS_NAMES } from '../decode/protocol-class.ts';
import type { Capture } from './capture.ts';
import { flowClass, hasMac, ipDst, ipSrc, ipVersion, keyAt, macDstHi, macDstLo, macSrcHi, macSrcLo, vlanInner, vlanOuter } from './flow-key.ts';
import type { MergedOrder } from './merged-order.ts';
import { FLAG_MALFORMED_MASK, FLAG_TCP_SHIFT } from './packet-store.ts';
import { TCP_ACKED_UNSEEN, TCP_DUP_ACK, TCP_KEEP_ALIVE, TCP_KEEP_ALIVE_ACK, TCP_PREVIOUS_NOT_CAPTURED, TCP_RETRANSMISSION } from './tcp-analysis.ts';

export interface ListRow {
  position: number;
  capture: number;
  frame: number;
  tsSec: number;
  tsNs: number;
  /** Seconds since the previous row of the list (0 for its first row). */
  deltaSec: number;
  /** Decimals of its times, as Wireshark prints them: 9 for a capture finer than µs, else 6. */
  digits: 6 | 9;
  vlan: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  malformed: boolean;
}

export interface ListCapture {
  capture: Capture;
  source: ByteSource;
}

/** Decimals for a timestamp resolution ('us', 'ns', pcapng's '10^-k' and '2^-k'): 6 down to a µs, 9 below it. */
function digitsFor(resolution: string): 6 | 9 {
  const k = Number(/\^-(\d+)$/.exec(resolution)?.[1]);
  if (resolution === 'us') return 6;
  if (resolution.startsWith('10^')) return k <= 6 ? 6 : 9;
  if (resolution.startsWith('2^')) return k < 20 ? 6 : 9;
  return 9;
}

/** Reads spanning at most this many bytes are merged into one. */
const MAX_SPAN_BYTES = 4 * 1024 * 1024;
/** Info reads at most this much of a frame: more than any network packet, not a whole 128 MiB record. */
const HEAD_BYTES = 1024 * 1024;
const scratch = new FrameFields();

/**
 * The rows for `positions` (consecutive rows of the list); `previous` is the position of the
 * list's row before the first, or -1, for the first row's Delta.
 */
export async function listRows(captures: ListCapture[], order: MergedOrder, positions: ArrayLike<number>, previous: number): Promise<ListRow[]> {
  const rows: ListRow[] = [];
  for (let k = 0; k < positions.length; ) {
    const c = order.captureAt(positions[k]);
    const { capture, source } = captures[c];
    const store = capture.store;
    // A run of rows of one capture whose frames lie close together in the file: one read.
    let end = k + 1;
    let lo = store.offset[order.rowAt(positions[k])];
    let hi = lo + Math.min(HEAD_BYTES, store.capLen[order.rowAt(positions[k])]);
    while (end < positions.length && order.captureAt(positions[end]) === c) {
      const row = order.rowAt(positions[end]);
      const nlo = Math.min(lo, store.offset[row]);
      const nhi = Math.max(hi, store.offset[row] + Math.min(HEAD_BYTES, store.capLen[row]));
      if (nhi - nlo > MAX_SPAN_BYTES) break;
      [lo, hi, end] = [nlo, nhi, end + 1];
    }
    const bytes = await source.read(lo, hi - lo);
    for (let j = k; j < end; j++) {
      const before = j > 0 ? positions[j - 1] : previous;
      rows.push(rowAt(capture, order, positions[j], c, bytes, lo, before));
    }
    k = end;
  }
  return rows;
}

function rowAt(capture: Capture, order: MergedOrder, p: number, c: number, bytes: Uint8Array, spanStart: number, previous: number): ListRow {
  const { store, flows } = capture;
  const row = order.rowAt(p);
  const flow = store.flow[row];
  const at = keyAt(flow);
  const linkType = capture.interfaces[store.iface[row]].linkType;
  const start = store.offset[row] - spanStart;
  const [source, destination] = addresses(capture, flow);
  const outer = vlanOuter(flows.keys, at);
  const inner = vlanInner(flows.keys, at);
  return {
    position: p,
    capture: c,
    frame: row + 1,
    tsSec: store.sec(row),
    tsNs: store.tsNs[row],
    deltaSec: previous >= 0 ? order.time(p) - order.time(previous) : 0,
    digits: digitsFor(capture.interfaces[store.iface[row]].resolution),
    vlan: outer === NO_VLAN ? '' : inner === NO_VLAN ? String(outer) : `${outer},${inner}`,
    source,
    destination,
    protocol: PROTOCOL_CLASS_NAMES[flowClass(flows.keys, at)] ?? 'other',
    length: store.origLen[row],
    info: packetInfo(bytes, start, Math.min(HEAD_BYTES, store.capLen[row]), linkType, tcpState(capture, row, bytes, start), store.origLen[row]),
    malformed: (store.flags[row] & FLAG_MALFORMED_MASK) !== 0,
  };
}

/** IP addresses when there are any; otherwise vendor-prefixed MACs, as Wireshark shows ARP or LACP. */
function addresses(capture: Capture, flow: number): [string, string] {
  const keys = capture.flows.keys;
  const at = keyAt(flow);
  const version = ipVersion(keys, at);
  if (version === 4) return [ipv4Text(ipSrc(keys, at)), ipv4Text(ipDst(keys, at))];
  if (version === 6) return [ipv6Text(capture.ipv6.bytesOf(ipSrc(keys, at))), ipv6Text(capture.ipv6.bytesOf(ipDst(keys, at)))];
  if (!hasMac(keys, at)) return ['', ''];
  const mac = new Uint8Array(12);
  const view = new DataView(mac.buffer);
  view.setUint16(0, macSrcHi(keys, at));
  view.setUint32(2, macSrcLo(keys, at));
  view.setUint16(6, macDstHi(keys, at));
  view.setUint32(8, macDstLo(keys, at));
  const broadcast = mac.subarray(6).every((b) => b === 0xff);
  return [vendorMac(mac, 0), broadcast ? 'Broadcast' : vendorMac(mac, 6)];
}

/** Relative numbers and analysis verdicts recorded at ingest, for the TCP Info text. */
function tcpState(capture: Capture, row: number, bytes: Uint8Array, start: number): TcpInfoState | undefined {
  const { store, tcp } = capture;
  const dir = tcp.directionOf[store.flow[row]];
  if (dir === undefined || dir < 0) return undefined;
  const flags = store.flags[row] >> FLAG_TCP_SHIFT;
  let analysis = 0;
  if (flags & TCP_KEEP_ALIVE) analysis |= InfoFlags.KeepAlive;
  if (flags & TCP_KEEP_ALIVE_ACK) analysis |= InfoFlags.KeepAliveAck;
  if (flags & TCP_RETRANSMISSION) analysis |= InfoFlags.Retransmission;
  if (flags & TCP_DUP_ACK) analysis |= InfoFlags.DupAck;
  const gaps = tcp.gaps.get(row) ?? 0;
  if (gaps & TCP_PREVIOUS_NOT_CAPTURED) analysis |= InfoFlags.LostSegment;
  if (gaps & TCP_ACKED_UNSEEN) analysis |= InfoFlags.AckLostSegment;
  decodeFrame(bytes, start, store.capLen[row], capture.interfaces[store.iface[row]].linkType, scratch);
  if (!scratch.tcpHeader) return { analysis };
  const reverse = tcp.reverse[dir];
  const dup = tcp.dupAcks.get(row);
  return {
    analysis,
    windowShift: tcp.windowShift(dir),
    dupAckFrame: dup?.[0],
    dupAckCount: dup?.[1],
    relSeq: (scratch.tcpSeq - tcp.baseSeq[dir]) >>> 0,
    relAck: reverse >= 0 && reverse !== undefined ? (scratch.tcpAck - tcp.baseSeq[reverse]) >>> 0 : undefined,
  };
}
