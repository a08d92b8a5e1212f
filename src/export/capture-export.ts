/**
 * Writes chosen packets as pcap or pcapng without copying the capture: the output is a list
 * of parts, small headers we write and ranges of the original file, which the browser turns
 * into a Blob of File slices and the CLI streams to disk. Packets come back exactly: the
 * original bytes, lengths and timestamps (pcapng at nanosecond resolution; pcap at the
 * precision asked for, as `tcpdump -w` writes it).
 */
import type { Capture } from '../store/capture.ts';

/**
 * Bytes we wrote, or a range of capture `capture`'s source: the file read as it is, or the
 * decompressed copy of a gzip file (the capture's offsets are offsets in it either way).
 */
export type Part = Uint8Array | { capture: number; from: number; to: number };

/** One output packet: which capture, which row; with an optional comment (pcapng only). */
export interface Pick {
  capture: number;
  row: number;
  comment?: string;
}

export type ExportFormat = 'pcap' | 'pcapng';

/**
 * The time to write for a packet, when not the one recorded (the session's clock offsets):
 * whole seconds since the epoch and ns.
 */
export type WrittenTime = (capture: number, row: number) => { sec: number; ns: number };

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;

/**
 * What an export will write: its parts, made one packet at a time as they are taken (a
 * second pass over the picks, so millions of packets never stand as millions of parts), and
 * its size, known before the first byte.
 */
export interface ExportPlan {
  parts: Iterable<Part>;
  packets: number;
  bytes: number;
  /** Packets whose parts have been made so far (progress, as the parts are taken). */
  readonly packetsTaken: number;
}

/** Classic pcap: one link type; microseconds unless `precision` says ns. */
export function pcapExport(captures: Capture[], picks: Iterable<Pick>, precision: 'us' | 'ns', timeOf?: WrittenTime): ExportPlan {
  const linkTypes = new Set<number>();
  let packets = 0;
  let bytes = 24;
  for (const p of picks) {
    linkTypes.add(linkTypeOf(captures[p.capture], p.row));
    packets++;
    bytes += 16 + captures[p.capture].store.capLen[p.row];
  }
  if (linkTypes.size > 1) throw new Error(`these packets have ${linkTypes.size} link types; pcap holds one: export as pcapng`);
  const linkType = linkTypes.values().next().value ?? 1;
  const snaplen = Math.max(65535, ...captures.flatMap((c) => c.interfaces.map((f) => f.snaplenBytes)));
  const head = (out: PartBuilder) =>
    out
      .header(24)
      .u32(0, precision === 'ns' ? PCAP_MAGIC_NS : PCAP_MAGIC_US)
      .u16(4, 2)
      .u16(6, 4)
      .u32(16, snaplen)
      .u32(20, linkType);
  const record = (out: PartBuilder, p: Pick) => {
    const { store, interfaces } = captures[p.capture];
    const r = p.row;
    const iface = interfaces[store.iface[r]];
    // A little-endian pcap at this precision: its own record header is what we would write,
    // so the record is one range of the file, and a run of records one range.
    if (iface.pcapLittleEndian && iface.resolution === precision && !timeOf)
      return out.range(p.capture, store.offset[r] - 16, store.offset[r] + store.capLen[r]);
    const { sec, ns } = timeOf ? timeOf(p.capture, r) : { sec: store.sec(r), ns: store.tsNs[r] };
    out
      .header(16)
      .u32(0, sec >>> 0)
      .u32(4, precision === 'ns' ? ns : Math.floor(ns / 1000))
      .u32(8, store.capLen[r])
      .u32(12, store.origLen[r]);
    out.range(p.capture, store.offset[r], store.offset[r] + store.capLen[r]);
  };
  return lazyPlan(picks, packets, bytes, head, record);
}

/** pcapng: one interface per (capture, interface) used, named; comments as opt_comment; ns timestamps. */
export function pcapngExport(captures: Capture[], picks: Iterable<Pick>, sectionComments: readonly string[] = [], timeOf?: WrittenTime): ExportPlan {
  const shb = block(
    SHB,
    shbBody(),
    sectionComments.map((c) => [OPT_COMMENT, text(c)]),
  );
  const idbs: Uint8Array[] = [];
  const ids: Map<number, number>[] = captures.map(() => new Map());
  let packets = 0;
  let bytes = shb.length;
  for (const p of picks) {
    const capture = captures[p.capture];
    const iface = capture.store.iface[p.row];
    packets++;
    bytes += 32 + ((capture.store.capLen[p.row] + 3) & ~3) + (p.comment ? optionBytes([[OPT_COMMENT, text(p.comment)]]).length : 0);
    if (ids[p.capture].has(iface)) continue;
    ids[p.capture].set(iface, idbs.length);
    const info = capture.interfaces[iface];
    const name = info.name ? `${capture.name}: ${info.name}` : capture.name;
    const body = new DataView(new ArrayBuffer(8));
    body.setUint16(0, info.linkType, true);
    body.setUint32(4, info.snaplenBytes, true);
    idbs.push(
      block(IDB, new Uint8Array(body.buffer), [
        [IF_NAME, text(name)],
        [IF_TSRESOL, Uint8Array.of(9)],
      ]),
    );
    bytes += idbs[idbs.length - 1].length;
  }
  const time = new NanosecondTime();
  const head = (out: PartBuilder) => {
    out.bytes(shb);
    for (const idb of idbs) out.bytes(idb);
  };
  const record = (out: PartBuilder, p: Pick) => {
    const { store } = captures[p.capture];
    const r = p.row;
    const options = p.comment ? optionBytes([[OPT_COMMENT, text(p.comment)]]) : null;
    const capLen = store.capLen[r];
    const padded = (capLen + 3) & ~3;
    const total = 28 + padded + (options?.length ?? 0) + 4;
    if (timeOf) {
      const t = timeOf(p.capture, r);
      time.set(t.sec, t.ns);
    } else time.set(store.sec(r), store.tsNs[r]);
    out
      .header(28)
      .u32(0, EPB)
      .u32(4, total)
      .u32(8, ids[p.capture].get(store.iface[r])!)
      .u32(12, time.high)
      .u32(16, time.low)
      .u32(20, capLen)
      .u32(24, store.origLen[r]);
    out.range(p.capture, store.offset[r], store.offset[r] + capLen);
    out.header(padded - capLen);
    if (options) out.bytes(options);
    out.header(4).u32(0, total);
  };
  return lazyPlan(picks, packets, bytes, head, record);
}

/**
 * A plan whose parts are made on each walk over them: `head` writes what comes first,
 * `record` a pick's record; parts are handed out as the builder completes them.
 */
function lazyPlan(
  picks: Iterable<Pick>,
  packets: number,
  bytes: number,
  head: (out: PartBuilder) => void,
  record: (out: PartBuilder, p: Pick) => void,
): ExportPlan {
  let taken = 0;
  function* parts(): Generator<Part> {
    const out = new PartBuilder();
    const ready = out.ready;
    head(out);
    taken = 0;
    for (const p of picks) {
      taken++;
      record(out, p);
      if (ready.length === 0) continue;
      for (let i = 0; i < ready.length; i++) yield ready[i];
      ready.length = 0;
    }
    out.finish();
    yield* ready;
  }
  return {
    parts: { [Symbol.iterator]: parts },
    packets,
    bytes,
    get packetsTaken() {
      return taken;
    },
  };
}

/**
 * Nanoseconds since the epoch as two 32-bit halves, without a BigInt per packet: the
 * product seconds x 10^9 is computed once per second of capture.
 */
class NanosecondTime {
  high = 0;
  low = 0;
  private sec = NaN;
  private baseHigh = 0;
  private baseLow = 0;

  set(sec: number, ns: number): void {
    if (sec !== this.sec) {
      const base = BigInt(sec) * 1_000_000_000n;
      this.sec = sec;
      this.baseHigh = Number(base >> 32n);
      this.baseLow = Number(base & 0xffffffffn);
    }
    const low = this.baseLow + ns;
    this.high = (this.baseHigh + (low >= 0x100000000 ? 1 : 0)) >>> 0;
    this.low = low >>> 0;
  }
}

/**
 * Collects parts: the headers we write go into shared buffers (no allocation per packet),
 * file ranges that continue each other become one range. Parts go to `ready` as soon as they
 * are complete: a range only once the next part does not continue it.
 */
class PartBuilder {
  private buffer = new Uint8Array(64 * 1024);
  private view = new DataView(this.buffer.buffer);
  private start = 0;
  private used = 0;
  /** Where the last header() begins. */
  private at = 0;
  private pending: { capture: number; from: number; to: number } | null = null;
  /** Complete parts, in order, for the caller to take (and empty). */
  readonly ready: Part[] = [];

  /** Room for `n` bytes of ours, zeroed, to fill in with u16 and u32 (little-endian, at offsets in it). */
  header(n: number): this {
    if (this.used + n > this.buffer.length) this.newBuffer(n);
    this.at = this.used;
    this.used += n;
    return this;
  }

  u16(offset: number, value: number): this {
    this.view.setUint16(this.at + offset, value, true);
    return this;
  }

  u32(offset: number, value: number): this {
    this.view.setUint32(this.at + offset, value, true);
    return this;
  }

  bytes(b: Uint8Array): void {
    if (this.used + b.length > this.buffer.length) this.newBuffer(b.length);
    this.buffer.set(b, this.used);
    this.used += b.length;
  }

  range(capture: number, from: number, to: number): void {
    const last = this.pending;
    if (last && this.used === this.start && last.capture === capture && last.to === from) {
      last.to = to;
      return;
    }
    this.flush();
    this.pending = { capture, from, to };
  }

  finish(): void {
    this.flush();
  }

  /** The pending range, then our bytes since it. */
  private flush(): void {
    if (this.pending) this.ready.push(this.pending);
    this.pending = null;
    if (this.used > this.start) this.ready.push(this.buffer.subarray(this.start, this.used));
    this.start = this.used;
  }

  private newBuffer(atLeast: number): void {
    // The bytes written so far stay where they are; a part not yet handed out is copied along.
    const unsent = this.buffer.subarray(this.start, this.used);
    this.buffer = new Uint8Array(Math.max(64 * 1024, atLeast + unsent.length));
    this.view = new DataView(this.buffer.buffer);
    this.buffer.set(unsent);
    this.start = 0;
    this.used = unsent.length;
  }
}

function linkTypeOf(capture: Capture, row: number): number {
  return capture.interfaces[capture.store.iface[row]].linkType;
}

function shbBody(): Uint8Array {
  const v = new DataView(new ArrayBuffer(16));
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  // Section length unknown.
  v.setInt32(8, -1, true);
  v.setInt32(12, -1, true);
  return new Uint8Array(v.buffer);
}

/** An option's length is 16 bits: longer text is cut there, at a character's start. */
const MAX_OPTION_BYTES = 0xffff;

function text(s: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= MAX_OPTION_BYTES) return bytes;
  let end = MAX_OPTION_BYTES;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function optionBytes(options: [number, Uint8Array][]): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const size = options.reduce((n, [, v]) => n + 4 + ((v.length + 3) & ~3), 0) + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [code, value] of options) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    at += 4 + ((value.length + 3) & ~3);
  }
  // opt_endofopt: code 0, length 0 (already zero).
  return out;
}

function block(type: number, body: Uint8Array, options: [number, Uint8Array][]): Uint8Array {
  const opts = optionBytes(options);
  const total = 8 + body.length + opts.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  out.set(opts, 8 + body.length);
  view.setUint32(total - 4, total, true);
  return out;
}
