/**
 * The TCP flags of Wireshark's Info column that need flow state ([TCP Keep-Alive],
 * [TCP Keep-Alive ACK], [TCP Retransmission], [TCP Dup ACK]), computed once at ingest
 * with Wireshark's rules (epan/dissectors/packet-tcp.c, tcp_analyze_sequence_number), and
 * each direction's base sequence number for the relative Seq=/Ack= it prints.
 * State is kept per conversation direction (addresses and ports, as Wireshark keys TCP),
 * in typed arrays indexed by its id; flows map to directions once, when first seen.
 */
import type { FrameFields } from '../decode/frame-fields.ts';
import type { FlowTable } from './flow-table.ts';
import { ipDst, ipSrc, ipVersion, keyAt, portPair } from './flow-key.ts';
import { grown, trimmed } from './growable.ts';
import { TcpConversations } from './tcp-conversations.ts';

export const TCP_KEEP_ALIVE = 1;
export const TCP_KEEP_ALIVE_ACK = 2;
export const TCP_RETRANSMISSION = 4;
export const TCP_DUP_ACK = 8;
export const TCP_PREVIOUS_NOT_CAPTURED = 16;
export const TCP_ACKED_UNSEEN = 32;

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;
/** Per-flow state bits. */
const SEEN = 1;
const SYN_UNSEEN = -128;
const LAST_WAS_KEEP_ALIVE = 2;
/** The base sequence number was set from the other direction's acknowledgements. */
const BASE_SET = 4;

/** a - b in sequence space, as a signed 32-bit value. */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpAnalysis {
  readonly conversations = new TcpConversations();
  /** The conversation direction of each flow (-1: not TCP). */
  directionOf = new Int32Array(1024).fill(-1);
  /** Relative numbers: Seq= is seq - baseSeq[dir]; Ack= is ack - baseSeq[reverse[dir]]. */
  baseSeq = new Uint32Array(1024);
  reverse = new Int32Array(1024).fill(-1);
  /** Per direction: its SYN's window scale, -1 for a SYN without one, SYN_UNSEEN before. */
  synScale = new Int8Array(1024).fill(SYN_UNSEEN);
  /** Rare verdicts by row (TCP_PREVIOUS_NOT_CAPTURED, TCP_ACKED_UNSEEN): too rare for a column. */
  readonly gaps = new Map<number, number>();
  /** Duplicate ACKs by row: [the frame acknowledged again, the how-many-th duplicate]. */
  readonly dupAcks = new Map<number, [number, number]>();
  private lastAckFrame = new Uint32Array(1024);
  private dupCount = new Uint32Array(1024);
  private nextSeq = new Uint32Array(1024);
  private lastAck = new Uint32Array(1024);
  private lastWindow = new Uint32Array(1024);
  private state = new Uint8Array(1024);

  constructor(private readonly flows: FlowTable) {}

  /**
   * The shift Wireshark applies to this direction's Win=: known once both SYNs were seen,
   * and 0 unless both carried the option; -1 (print the raw window) when unknown.
   */
  windowShift(dir: number): number {
    const rev = this.reverse[dir];
    if (rev < 0 || this.synScale[dir] === SYN_UNSEEN || this.synScale[rev] === SYN_UNSEEN) return -1;
    return this.synScale[dir] < 0 || this.synScale[rev] < 0 ? 0 : this.synScale[dir];
  }

  /** Returns the packet's analysis flags and updates its direction's state. */
  observe(flowId: number, f: FrameFields, row: number): number {
    const flow = this.direction(flowId);
    const flags = f.tcpFlags;
    if (flags & SYN) this.synScale[flow] = f.tcpWindowScale;
    const seq = f.tcpSeq;
    const segLen = f.tcpPayloadBytes + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    if (!(this.state[flow] & SEEN)) {
      this.firstSight(flow, f, seq, segLen, row);
      return 0;
    }
    const result = this.classify(flow, f, seq, segLen);
    const gap = this.gapsOf(flow, f, seq);
    if (gap) this.gaps.set(row, gap);
    // Wireshark's "Dup ACK N#k": N is the last frame that moved this direction's ACK.
    if (result & TCP_DUP_ACK) this.dupAcks.set(row, [this.lastAckFrame[flow], ++this.dupCount[flow]]);
    else if (flags & ACK && f.tcpAck !== this.lastAck[flow]) [this.lastAckFrame[flow], this.dupCount[flow]] = [row + 1, 0];
    if (seqDiff((seq + segLen) >>> 0, this.nextSeq[flow]) > 0) this.nextSeq[flow] = (seq + segLen) >>> 0;
    if (flags & ACK) {
      this.lastAck[flow] = f.tcpAck;
      this.baseFromAck(flow, f.tcpAck);
    }
    this.lastWindow[flow] = f.tcpWindow;
    this.state[flow] = SEEN | (result & TCP_KEEP_ALIVE ? LAST_WAS_KEEP_ALIVE : 0);
    return result;
  }

  private firstSight(flow: number, f: FrameFields, seq: number, segLen: number, row: number): void {
    // Wireshark numbers from the SYN (Seq=0), or makes the first segment seen Seq=1, unless
    // the other direction's ACKs already fixed our base.
    if (!(this.state[flow] & BASE_SET)) this.baseSeq[flow] = f.tcpFlags & SYN ? seq : (seq - 1) >>> 0;
    this.state[flow] = SEEN;
    this.nextSeq[flow] = (seq + segLen) >>> 0;
    this.lastAck[flow] = f.tcpAck;
    this.lastAckFrame[flow] = row + 1;
    this.lastWindow[flow] = f.tcpWindow;
    const rev = this.conversations.reverseOf(flow);
    if (rev >= 0) this.link(flow, rev);
    if (f.tcpFlags & ACK) this.baseFromAck(flow, f.tcpAck);
  }

  /** While the other direction is unseen, its base follows from what we acknowledge (Ack=1). */
  private baseFromAck(flow: number, ack: number): void {
    let rev = this.reverse[flow];
    if (rev < 0) {
      rev = this.conversations.internReverse(flow);
      if (rev >= this.state.length) this.grow(rev + 1);
      this.link(flow, rev);
    }
    if (this.state[rev] & (SEEN | BASE_SET)) return;
    this.baseSeq[rev] = (ack - 1) >>> 0;
    this.state[rev] = BASE_SET;
  }

  private link(flow: number, rev: number): void {
    this.reverse[flow] = rev;
    this.reverse[rev] = flow;
  }

  private classify(flow: number, f: FrameFields, seq: number, segLen: number): number {
    const flags = f.tcpFlags;
    const next = this.nextSeq[flow];
    const control = (flags & (SYN | FIN | RST)) !== 0;
    if (!control && segLen <= 1 && seqDiff(seq, next) === -1) return TCP_KEEP_ALIVE;
    const sameAck = segLen === 0 && !control && f.tcpWindow !== 0 && f.tcpWindow === this.lastWindow[flow] && seq === next && f.tcpAck === this.lastAck[flow];
    if (sameAck) {
      const rev = this.reverse[flow];
      return rev >= 0 && this.state[rev] & LAST_WAS_KEEP_ALIVE ? TCP_KEEP_ALIVE_ACK : TCP_DUP_ACK;
    }
    if ((segLen > 0 || (flags & (SYN | FIN)) !== 0) && seqDiff(seq, next) < 0) return TCP_RETRANSMISSION;
    // Data the other side has already acknowledged: Wireshark's spurious retransmission.
    const rev = this.reverse[flow];
    if (segLen > 0 && rev >= 0 && this.state[rev] & SEEN && seqDiff((seq + segLen) >>> 0, this.lastAck[rev]) <= 0) return TCP_RETRANSMISSION;
    return 0;
  }

  /** Data missing from the capture: a sequence gap ahead of us, or an ACK of data never seen. */
  private gapsOf(flow: number, f: FrameFields, seq: number): number {
    let gap = 0;
    if (!(f.tcpFlags & (SYN | RST)) && seqDiff(seq, this.nextSeq[flow]) > 0) gap |= TCP_PREVIOUS_NOT_CAPTURED;
    const rev = this.reverse[flow];
    if (f.tcpFlags & ACK && rev >= 0 && this.state[rev] & SEEN && seqDiff(f.tcpAck, this.nextSeq[rev]) > 0) gap |= TCP_ACKED_UNSEEN;
    return gap;
  }

  private direction(flowId: number): number {
    if (flowId >= this.directionOf.length) {
      const before = this.directionOf.length;
      this.directionOf = grown(this.directionOf, flowId + 1);
      this.directionOf.fill(-1, before);
    }
    let dir = this.directionOf[flowId];
    if (dir < 0) {
      const keys = this.flows.keys;
      const at = keyAt(flowId);
      dir = this.directionOf[flowId] = this.conversations.intern(ipSrc(keys, at), ipDst(keys, at), portPair(keys, at), ipVersion(keys, at));
      if (dir >= this.state.length) this.grow(dir + 1);
    }
    return dir;
  }

  freeze(flowCount: number): void {
    const directions = this.conversations.count;
    this.directionOf = trimmed(this.directionOf, flowCount);
    this.baseSeq = trimmed(this.baseSeq, directions);
    this.reverse = trimmed(this.reverse, directions);
    this.conversations.freeze();
    this.synScale = trimmed(this.synScale, directions);
    this.nextSeq = this.lastAck = this.lastWindow = this.lastAckFrame = this.dupCount = new Uint32Array(0);
    this.state = new Uint8Array(0);
  }

  get bytes(): number {
    return (
      this.directionOf.byteLength +
      this.baseSeq.byteLength +
      this.reverse.byteLength +
      this.synScale.byteLength +
      this.nextSeq.byteLength * 5 +
      this.state.byteLength +
      this.conversations.bytes +
      (this.dupAcks.size + this.gaps.size) * 48
    );
  }

  private grow(n: number): void {
    const before = this.reverse.length;
    this.baseSeq = grown(this.baseSeq, n);
    this.reverse = grown(this.reverse, n);
    this.reverse.fill(-1, before);
    const scales = this.synScale.length;
    this.synScale = grown(this.synScale, n);
    this.synScale.fill(SYN_UNSEEN, scales);
    this.lastAckFrame = grown(this.lastAckFrame, n);
    this.dupCount = grown(this.dupCount, n);
    this.nextSeq = grown(this.nextSeq, n);
    this.lastAck = grown(this.lastAck, n);
    this.lastWindow = grown(this.lastWindow, n);
    this.state = grown(this.state, n);
  }
}
