// Classic pcap files (draft-ietf-opsawg-pcap), written into one growing buffer or streamed
// through buffers the caller swaps in. Lengths may be forged, so readers can be tested
// against bad input.
//
//   file header, 24 bytes: magic(4) major(2) minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
//   each record, 16 bytes: ts_sec(4) ts_frac(4) incl_len(4) orig_len(4), then the data
//
// ts_frac counts µs or ns, as the magic says; every field is in the file's byte order.
import type { Endian } from './byte-writer.ts';

export interface PcapFormat {
  endian: Endian;
  resolution: 'us' | 'ns';
  linkType: number;
  snaplen: number;
  versionMajor?: number;
  versionMinor?: number;
}

export interface PcapRecord {
  tsSec: number;
  /** Microseconds or nanoseconds, per the file's resolution. */
  tsFrac: number;
  data: Uint8Array;
  origLen?: number;
  /** Written as incl_len instead of data.length, to forge odd lengths. */
  capLen?: number;
}

export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;

/** Appends records without an object per record: the bench and the demo write millions. */
export class PcapWriter {
  buf: Uint8Array;
  view: DataView;
  /** Bytes written into `buf`. */
  length = 0;
  private readonly le: boolean;

  /** Writes the file header; `capacityBytes` is the first buffer's size (it grows as needed). */
  constructor(format: PcapFormat, capacityBytes = 1 << 16) {
    this.le = format.endian === 'le';
    this.buf = new Uint8Array(Math.max(capacityBytes, PCAP_FILE_HEADER_BYTES));
    this.view = new DataView(this.buf.buffer);
    const v = this.view;
    v.setUint32(0, format.resolution === 'ns' ? 0xa1b23c4d : 0xa1b2c3d4, this.le);
    v.setUint16(4, format.versionMajor ?? 2, this.le);
    v.setUint16(6, format.versionMinor ?? 4, this.le);
    // thiszone and sigfigs stay 0: pcap timestamps are UTC.
    v.setUint32(16, format.snaplen, this.le);
    v.setUint32(20, format.linkType, this.le);
    this.length = PCAP_FILE_HEADER_BYTES;
  }

  /** Appends one record; returns the offset of its data in `buf`, for callers that patch fields in place. */
  record(tsSec: number, tsFrac: number, data: Uint8Array, origLen = data.length, capLen = data.length): number {
    const p = this.length;
    const end = p + PCAP_RECORD_HEADER_BYTES + data.length;
    if (end > this.buf.length) this.grow(end);
    const v = this.view;
    v.setUint32(p, tsSec, this.le);
    v.setUint32(p + 4, tsFrac, this.le);
    v.setUint32(p + 8, capLen, this.le);
    v.setUint32(p + 12, origLen, this.le);
    this.buf.set(data, p + PCAP_RECORD_HEADER_BYTES);
    this.length = end;
    return p + PCAP_RECORD_HEADER_BYTES;
  }

  /** The bytes written so far (the buffer itself when it is exactly full). */
  bytes(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }

  /** Streaming: hands back the bytes written so far and goes on writing at the start of `next`. */
  swap(next: Uint8Array): Uint8Array {
    const full = this.buf.subarray(0, this.length);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.length = 0;
    return full;
  }

  private grow(atLeast: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, atLeast));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

/** A whole file from record objects, for small test captures. */
export function writePcap(o: PcapFormat & { records: PcapRecord[] }): Uint8Array {
  const size = o.records.reduce((n, r) => n + PCAP_RECORD_HEADER_BYTES + r.data.length, PCAP_FILE_HEADER_BYTES);
  const out = new PcapWriter(o, size);
  for (const r of o.records) out.record(r.tsSec, r.tsFrac, r.data, r.origLen, r.capLen);
  return out.bytes();
}
