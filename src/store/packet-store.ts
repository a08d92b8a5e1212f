/**
 * The columnar store of one capture: one typed array per per-packet field, no object per
 * packet. Row i is frame i + 1 (file order, as Wireshark numbers frames).
 *
 *   tsSecRel Int32   whole seconds since baseSec (exact for +-68 years; beyond, the row
 *                    holds FAR_SENTINEL and farSec keeps the exact value)
 *   tsNs     Uint32  nanoseconds within the second
 *   offset   Float64 byte offset of the frame data in the (decompressed) file
 *   capLen   Uint32  captured bytes          origLen Uint32  bytes on the wire
 *   flow     Uint32  FlowTable id: addresses, VLANs, protocol, ports
 *   iface    Uint16  interface (pcapng IDB, across sections)
 *   tcpFlags Uint8   flags    Uint8 (Malformed layer in bits 0-1, comment in bit 2,
 *                                   TCP analysis flags (tcp-analysis.ts) in bits 3-6)
 *   order    Uint32  time-sorted row order, only when the file is not in time order
 */
import { grown, residentBytes, trimmed } from './growable.ts';

export const FAR_SENTINEL = -0x80000000;
export const FLAG_MALFORMED_MASK = 0x03;
export const FLAG_COMMENT = 0x04;
export const FLAG_TCP_SHIFT = 3;

export class PacketStore {
  length = 0;
  baseSec = 0;
  tsSecRel = new Int32Array(0);
  tsNs = new Uint32Array(0);
  offset = new Float64Array(0);
  capLen = new Uint32Array(0);
  origLen = new Uint32Array(0);
  flow = new Uint32Array(0);
  iface = new Uint16Array(0);
  tcpFlags = new Uint8Array(0);
  flags = new Uint8Array(0);
  /** Rows in time order; null while the file's own order is already time order. */
  order: Uint32Array | null = null;
  readonly farSec = new Map<number, number>();
  private inTimeOrder = true;
  /** The earliest and latest times so far (relative seconds), kept as packets arrive. */
  minRelSeconds = 0;
  maxRelSeconds = -Infinity;
  private planned = false;
  private lastSec = -Infinity;
  private lastNs = 0;

  append(
    tsSec: number,
    tsNs: number,
    offsetBytes: number,
    capLen: number,
    origLen: number,
    flow: number,
    iface: number,
    tcpFlags: number,
    flags: number,
  ): number {
    const i = this.length;
    if (i === 0) {
      this.baseSec = tsSec;
      this.minRelSeconds = tsNs / 1e9;
    }
    if (i >= this.tsNs.length) this.reserve(i + 1);
    const rel = tsSec - this.baseSec;
    if (rel > 0x7fffffff || rel <= FAR_SENTINEL) {
      this.tsSecRel[i] = FAR_SENTINEL;
      this.farSec.set(i, tsSec);
    } else {
      this.tsSecRel[i] = rel;
    }
    this.tsNs[i] = tsNs;
    this.offset[i] = offsetBytes;
    this.capLen[i] = capLen;
    this.origLen[i] = origLen;
    this.flow[i] = flow;
    this.iface[i] = iface;
    this.tcpFlags[i] = tcpFlags;
    this.flags[i] = flags;
    if (tsSec < this.lastSec || (tsSec === this.lastSec && tsNs < this.lastNs)) {
      this.inTimeOrder = false;
      if (rel + tsNs / 1e9 < this.minRelSeconds) this.minRelSeconds = rel + tsNs / 1e9;
    }
    if (rel + tsNs / 1e9 > this.maxRelSeconds) this.maxRelSeconds = rel + tsNs / 1e9;
    this.lastSec = tsSec;
    this.lastNs = tsNs;
    return (this.length = i + 1);
  }

  /** Absolute whole seconds of row i. */
  sec(i: number): number {
    const rel = this.tsSecRel[i];
    return rel === FAR_SENTINEL ? this.farSec.get(i)! : this.baseSec + rel;
  }

  /** Seconds since baseSec as a double: for drawing and binning only, never for printing. */
  relSeconds(i: number): number {
    const rel = this.tsSecRel[i];
    return (rel === FAR_SENTINEL ? this.farSec.get(i)! - this.baseSec : rel) + this.tsNs[i] / 1e9;
  }

  /** Row at time-order position k. */
  rowAt(k: number): number {
    return this.order ? this.order[k] : k;
  }

  /** Ends ingest: trims columns to length and sorts by time if the file was out of order. */
  finish(): void {
    const n = this.length;
    this.tsSecRel = trimmed(this.tsSecRel, n);
    this.tsNs = trimmed(this.tsNs, n);
    this.offset = trimmed(this.offset, n);
    this.capLen = trimmed(this.capLen, n);
    this.origLen = trimmed(this.origLen, n);
    this.flow = trimmed(this.flow, n);
    this.iface = trimmed(this.iface, n);
    this.tcpFlags = trimmed(this.tcpFlags, n);
    this.flags = trimmed(this.flags, n);
    this.order = this.inTimeOrder ? null : this.timeOrder();
  }

  get bytes(): number {
    const columns = [this.tsSecRel, this.tsNs, this.offset, this.capLen, this.origLen, this.flow, this.iface, this.tcpFlags, this.flags];
    return columns.reduce((sum, c) => sum + residentBytes(c), 0) + (this.order?.byteLength ?? 0) + this.farSec.size * 16;
  }

  /**
   * Sizes the columns once from the packet density of what was read so far, so that a
   * multi-GB capture is not copied again and again as its columns grow.
   */
  planCapacity(bytesRead: number, bytesTotal: number): void {
    if (this.planned || this.length === 0 || bytesRead <= 0) return;
    this.planned = true;
    const expected = Math.ceil((this.length * bytesTotal * 1.05) / bytesRead) + 1024;
    if (expected > this.tsNs.length) this.reserve(expected);
  }

  private reserve(n: number): void {
    this.tsSecRel = grown(this.tsSecRel, n);
    this.tsNs = grown(this.tsNs, n);
    this.offset = grown(this.offset, n);
    this.capLen = grown(this.capLen, n);
    this.origLen = grown(this.origLen, n);
    this.flow = grown(this.flow, n);
    this.iface = grown(this.iface, n);
    this.tcpFlags = grown(this.tcpFlags, n);
    this.flags = grown(this.flags, n);
  }

  /** A stable sort by (seconds, ns); file order breaks ties, as mergecap does. */
  private timeOrder(): Uint32Array {
    const n = this.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const far = this.farSec.size > 0;
    const rel = this.tsSecRel;
    const ns = this.tsNs;
    order.sort((a, b) => {
      const sa = far ? this.sec(a) : rel[a];
      const sb = far ? this.sec(b) : rel[b];
      return sa - sb || ns[a] - ns[b] || a - b;
    });
    return order;
  }
}
