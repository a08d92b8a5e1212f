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

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;

/** Classic pcap: one link type; microseconds unless `precision` says ns. */
export function pcapParts(captures: Capture[], picks: Pick[], precision: 'us' | 'ns'): Part[] {
  const linkTypes = new Set(picks.map((p) => linkTypeOf(captures[p.capture], p.row)));
  if (linkTypes.size > 1) throw new Error(`these packets have ${linkTypes.size} link types; pcap holds one: export as pcapng`);
  const linkType = linkTypes.values().next().value ?? 1;
  const snaplen = Math.max(65535, ...captures.flatMap((c) => c.interfaces.map((f) => f.snaplenBytes)));
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, precision === 'ns' ? PCAP_MAGIC_NS : PCAP_MAGIC_US, true);
  head.setUint16(4, 2, true);
  head.setUint16(6, 4, true);
  head.setUint32(16, snaplen, true);
  head.setUint32(20, linkType, true);
  const parts: Part[] = [new Uint8Array(head.buffer)];
  for (const p of picks) {
    const { store, interfaces } = captures[p.capture];
    const r = p.row;
    const iface = interfaces[store.iface[r]];
    // A little-endian pcap at this precision: its own record header is what we would write,
    // so the record is one range of the file, and a run of records one range.
    if (iface.pcapLittleEndian && iface.resolution === precision) {
      parts.push({ capture: p.capture, from: store.offset[r] - 16, to: store.offset[r] + store.capLen[r] });
      continue;
    }
    const record = new DataView(new ArrayBuffer(16));
    record.setUint32(0, store.sec(r) >>> 0, true);
    record.setUint32(4, precision === 'ns' ? store.tsNs[r] : Math.floor(store.tsNs[r] / 1000), true);
    record.setUint32(8, store.capLen[r], true);
    record.setUint32(12, store.origLen[r], true);
    parts.push(new Uint8Array(record.buffer), frame(captures[p.capture], p.capture, r));
  }
  return merged(parts);
}

/** pcapng: one interface per (capture, interface) used, named; comments as opt_comment; ns timestamps. */
export function pcapngParts(captures: Capture[], picks: Pick[], sectionComment?: string): Part[] {
  const parts: Part[] = [block(SHB, shbBody(), sectionComment ? [[OPT_COMMENT, text(sectionComment)]] : [])];
  const ids = new Map<string, number>();
  for (const p of picks) {
    const capture = captures[p.capture];
    const iface = capture.store.iface[p.row];
    const key = `${p.capture}/${iface}`;
    if (ids.has(key)) continue;
    ids.set(key, ids.size);
    const info = capture.interfaces[iface];
    const name = info.name ? `${capture.name}: ${info.name}` : capture.name;
    const body = new DataView(new ArrayBuffer(8));
    body.setUint16(0, info.linkType, true);
    body.setUint32(4, info.snaplenBytes, true);
    parts.push(block(IDB, new Uint8Array(body.buffer), [[IF_NAME, text(name)], [IF_TSRESOL, Uint8Array.of(9)]]));
  }
  for (const p of picks) {
    const { store } = captures[p.capture];
    const r = p.row;
    const ns = BigInt(store.sec(r)) * 1_000_000_000n + BigInt(store.tsNs[r]);
    const head = new DataView(new ArrayBuffer(28));
    const options = p.comment ? optionBytes([[OPT_COMMENT, text(p.comment)]]) : new Uint8Array(0);
    const padded = (store.capLen[r] + 3) & ~3;
    const total = 28 + padded + options.length + 4;
    head.setUint32(0, EPB, true);
    head.setUint32(4, total, true);
    head.setUint32(8, ids.get(`${p.capture}/${store.iface[r]}`)!, true);
    head.setUint32(12, Number(ns >> 32n) >>> 0, true);
    head.setUint32(16, Number(ns & 0xffffffffn) >>> 0, true);
    head.setUint32(20, store.capLen[r], true);
    head.setUint32(24, store.origLen[r], true);
    const tail = new DataView(new ArrayBuffer(padded - store.capLen[r] + options.length + 4));
    new Uint8Array(tail.buffer).set(options, padded - store.capLen[r]);
    tail.setUint32(tail.byteLength - 4, total, true);
    parts.push(new Uint8Array(head.buffer), frame(captures[p.capture], p.capture, r), new Uint8Array(tail.buffer));
  }
  return merged(parts);
}

function linkTypeOf(capture: Capture, row: number): number {
  return capture.interfaces[capture.store.iface[row]].linkType;
}

function frame(capture: Capture, c: number, row: number): Part {
  const { offset, capLen } = capture.store;
  return { capture: c, from: offset[row], to: offset[row] + capLen[row] };
}

/**
 * Adjacent parts joined: our headers into one array between two file ranges, and file ranges
 * that continue each other into one range (a pcap read back as pcap, packet after packet).
 */
function merged(parts: Part[]): Part[] {
  const out: Part[] = [];
  let pending: Uint8Array[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const size = pending.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(size);
    let at = 0;
    for (const p of pending) {
      joined.set(p, at);
      at += p.length;
    }
    out.push(joined);
    pending = [];
  };
  for (const p of parts) {
    if (p instanceof Uint8Array) {
      pending.push(p);
      continue;
    }
    flush();
    const last = out[out.length - 1];
    if (last && !(last instanceof Uint8Array) && last.capture === p.capture && last.to === p.from) last.to = p.to;
    else out.push({ ...p });
  }
  flush();
  return out;
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

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
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
