/**
 * Deterministic generator of a large, realistic classic-pcap Ethernet capture
 * for `npm run bench`.
 *
 * Speed strategy: every frame shape (encapsulation × protocol × size) is built
 * once as a template. Per packet we only copy a template into a big output
 * buffer and patch the fields that vary (timestamps, addresses, ports, IP id,
 * TCP seq/ack, DNS/ICMP/RTP sequence words, checksums) with direct writes.
 * No per-packet allocation happens on the hot path. Output is double-buffered
 * so the disk write of one chunk overlaps generation of the next.
 *
 * Checksums are all correct: each template carries the one's-complement sum of
 * its fixed bytes, so a packet's checksum is that sum plus the patched words.
 */
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upperBound } from '../src/store/search.ts';

export interface BenchCaptureOptions {
  /** Number of records to write (default 10,000,000 ≈ 1.5 GB). */
  packets?: number;
  /** Cache directory (default `<repo>/.bench-cache`). */
  dir?: string;
  /** PRNG seed; the same seed always gives a byte-identical file (default 1). */
  seed?: number;
}

export interface BenchCapture {
  path: string;
  packets: number;
  bytes: number;
}

/** Bump when the output format/mix changes so stale cache files are not reused. */
const FORMAT_VERSION = 'v1';
const DEFAULT_PACKETS = 10_000_000;
const DEFAULT_SEED = 1;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Returns the cached bench capture for (packets, seed), generating it first if
 * needed. A sidecar JSON records the final size; a file is reused only when its
 * size matches, and generation goes through a temp name + rename so an
 * interrupted run never leaves a file that looks complete.
 */
export async function ensureBenchCapture(opts: BenchCaptureOptions = {}): Promise<BenchCapture> {
  const packets = opts.packets ?? DEFAULT_PACKETS;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(packets) || packets < 1) throw new Error(`packets must be a positive integer, got ${packets}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be a uint32, got ${seed}`);

  const dir = resolve(opts.dir ?? join(REPO_ROOT, '.bench-cache'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bench-${packets}-${seed}-${FORMAT_VERSION}.pcap`);
  const metaPath = `${path}.json`;

  const cached = await readCachedSize(path, metaPath);
  if (cached !== undefined) return { path, packets, bytes: cached };

  removeStaleTempFiles(path);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const bytes = await writeCapture(tmp, packets, seed);
    await writeFile(`${metaPath}.tmp-${process.pid}`, JSON.stringify({ packets, seed, bytes, version: FORMAT_VERSION }) + '\n');
    await rename(`${metaPath}.tmp-${process.pid}`, metaPath);
    // The pcap rename is the commit point: only now does the final name exist.
    await rename(tmp, path);
    return { path, packets, bytes };
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

async function readCachedSize(path: string, metaPath: string): Promise<number | undefined> {
  if (!existsSync(path) || !existsSync(metaPath)) return undefined;
  try {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as { bytes?: unknown };
    if (typeof meta.bytes === 'number' && statSync(path).size === meta.bytes) return meta.bytes;
  } catch {
    // Unreadable sidecar: fall through and regenerate.
  }
  return undefined;
}

/** Deletes `<path>.tmp-<pid>` leftovers of killed runs (but not of live ones). */
function removeStaleTempFiles(path: string): void {
  const dir = dirname(path);
  const prefix = `${path.slice(dir.length + 1)}.tmp-`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ───────────────────────────── capture writing ─────────────────────────────

const CHUNK_BYTES = 16 * 1024 * 1024;
const MAX_RECORD = 16 + 1518;
const SNAPLEN = 262144;
/** 2017-12-05T13:12:45Z — the capture's first timestamp. */
const START_SEC = Date.UTC(2017, 11, 5, 13, 12, 45) / 1000;

async function writeCapture(path: string, packets: number, seed: number): Promise<number> {
  const fh = await open(path, 'w');
  try {
    const out = new ChunkWriter(fh);
    out.writeFileHeader();
    const gen = new TrafficGenerator(out, packets, seed);
    while (!gen.done()) {
      gen.fill();
      await out.flush();
    }
    await out.close();
    return out.bytes;
  } finally {
    await fh.close();
  }
}

/**
 * Two 16 MB buffers: while one is being written by libuv's thread pool the
 * generator fills the other, so disk I/O and CPU work overlap.
 */
class ChunkWriter {
  buf = new Uint8Array(CHUNK_BYTES);
  view = new DataView(this.buf.buffer);
  off = 0;
  bytes = 0;
  /** Fill up to here; past it a maximum-size record might not fit. */
  readonly limit = CHUNK_BYTES - MAX_RECORD;
  private spare = new Uint8Array(CHUNK_BYTES);
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly fh: FileHandle) {}

  writeFileHeader(): void {
    const v = this.view;
    v.setUint32(0, 0xa1b2c3d4, true); // microsecond resolution, little-endian
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, SNAPLEN, true);
    v.setUint32(20, 1, true); // LINKTYPE_ETHERNET
    this.off = 24;
    this.bytes = 24;
  }

  /** Appends a record header and a copy of `frame`; returns the frame's offset in `buf`. */
  put(frame: Uint8Array, sec: number, usec: number): number {
    const p = this.off;
    const len = frame.length;
    const v = this.view;
    v.setUint32(p, sec, true);
    v.setUint32(p + 4, usec, true);
    v.setUint32(p + 8, len, true);
    v.setUint32(p + 12, len, true);
    this.buf.set(frame, p + 16);
    this.off = p + 16 + len;
    this.bytes += 16 + len;
    return p + 16;
  }

  async flush(): Promise<void> {
    await this.pending; // the spare buffer is free only once its write finished
    const full = this.buf;
    const len = this.off;
    this.pending = writeAll(this.fh, full, len);
    this.buf = this.spare;
    this.spare = full;
    this.view = new DataView(this.buf.buffer);
    this.off = 0;
  }

  async close(): Promise<void> {
    if (this.off > 0) await this.flush();
    await this.pending;
  }
}

/**
 * Byte loop for the 8–32 byte MAC/address patches: TypedArray#set has a fixed
 * per-call cost that dominates at these sizes (measured ~2x slower overall).
 */
function copySmall(dst: Uint8Array, at: number, src: Uint8Array): void {
  for (let k = 0; k < src.length; k++) dst[at + k] = src[k];
}

async function writeAll(fh: FileHandle, buf: Uint8Array, len: number): Promise<void> {
  let done = 0;
  while (done < len) {
    const { bytesWritten } = await fh.write(buf, done, len - done);
    done += bytesWritten;
  }
}

// ───────────────────────────── PRNG ─────────────────────────────

/** mulberry32: tiny, fast, and good enough for traffic shaping. */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Picks indices 0..n-1 with probability ∝ 1/(k+1)^s — a few busy flows, a long tail. */
class ZipfPicker {
  private readonly cdf: Float64Array;
  constructor(n: number, s: number) {
    this.cdf = new Float64Array(n);
    let acc = 0;
    for (let k = 0; k < n; k++) this.cdf[k] = acc += 1 / Math.pow(k + 1, s);
    for (let k = 0; k < n; k++) this.cdf[k] /= acc;
  }
  pick(rng: Rng): number {
    // Searching below n - 1: an r at or above a rounded cdf[n - 1] still picks the last index.
    return upperBound(this.cdf, rng.float(), 0, this.cdf.length - 1);
  }
}

// ───────────────────────────── byte building (setup only) ─────────────────────────────

type Bytes = Uint8Array;

function cat(...parts: ArrayLike<number>[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const u16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const zeros = (n: number): Bytes => new Uint8Array(n);
const ascii = (s: string): Bytes => new TextEncoder().encode(s);

function mac(s: string): Bytes {
  return Uint8Array.from(s.split(':').map((h) => parseInt(h, 16)));
}
function ip4(s: string): Bytes {
  return Uint8Array.from(s.split('.').map(Number));
}
/** Minimal IPv6 parser for the fully written or `::`-compressed literals used here. */
function ip6(s: string): Bytes {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return cat(...groups.map((g) => u16(parseInt(g, 16))));
}

/** One's-complement sum of big-endian 16-bit words (odd tail padded with zero). */
function sum16(b: Bytes, start = 0, end = b.length): number {
  let s = 0;
  for (let i = start; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if ((end - start) & 1) s += b[end - 1] << 8;
  return fold(s);
}
/** Folds carries back into 16 bits; two rounds suffice for any sum below 2^32. */
function fold(s: number): number {
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}
function checksum(...sums: number[]): number {
  let s = 0;
  for (const x of sums) s += x;
  return ~fold(s) & 0xffff;
}

// ── layer 2

interface Tag {
  tpid: number;
  vid: number;
}
interface Encap {
  tags: readonly Tag[];
}
const UNTAGGED: Encap = { tags: [] };
const VLAN956: Encap = { tags: [{ tpid: 0x8100, vid: 956 }] };
const VLAN957: Encap = { tags: [{ tpid: 0x8100, vid: 957 }] };
/** Provider bridge: S-tag 3001 (802.1ad) around customer C-tag 212. */
const QINQ: Encap = { tags: [{ tpid: 0x88a8, vid: 3001 }, { tpid: 0x8100, vid: 212 }] };

const l2Len = (e: Encap): number => 14 + 4 * e.tags.length;
/** Frames are padded to 60 bytes before tagging, as on a trunk port. */
const minFrame = (e: Encap): number => 60 + 4 * e.tags.length;

function ethernet(dst: Bytes, src: Bytes, encap: Encap, etherType: number, body: Bytes): Bytes {
  const tags = encap.tags.flatMap((t) => [...u16(t.tpid), ...u16(t.vid)]);
  const frame = cat(dst, src, tags, u16(etherType), body);
  return frame.length >= minFrame(encap) ? frame : cat(frame, zeros(minFrame(encap) - frame.length));
}

// ── layer 3

const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMP6 = 58;
const PROTO_VRRP = 112;

interface IpOpts {
  ttl?: number;
  id?: number;
  df?: boolean;
}

function ipv4(proto: number, src: Bytes, dst: Bytes, body: Bytes, o: IpOpts = {}): Bytes {
  const hdr = cat([0x45, 0], u16(20 + body.length), u16(o.id ?? 0), u16(o.df === false ? 0 : 0x4000), [o.ttl ?? 64, proto], [0, 0], src, dst);
  hdr.set(u16(checksum(sum16(hdr))), 10);
  return cat(hdr, body);
}

function ipv6(nextHeader: number, src: Bytes, dst: Bytes, body: Bytes, hopLimit = 64): Bytes {
  return cat(u32(0x60000000), u16(body.length), [nextHeader, hopLimit], src, dst, body);
}

/** Sum of the pseudo-header fields other than the addresses. */
const pseudoRest = (proto: number, l4len: number): number => fold(proto + l4len);

/** Transport checksum with real addresses (used for fully static frames). */
function l4Checksum(proto: number, src: Bytes, dst: Bytes, seg: Bytes): number {
  if (proto === PROTO_ICMP) return checksum(sum16(seg));
  return checksum(sum16(src), sum16(dst), pseudoRest(proto, seg.length), sum16(seg));
}

function csumOffset(proto: number): number {
  return proto === PROTO_TCP ? 16 : proto === PROTO_UDP ? 6 : 2;
}

/** A complete IP packet with correct header and transport checksums. */
function ipPacket(proto: number, src: Bytes, dst: Bytes, seg: Bytes, o: IpOpts & { hopLimit?: number } = {}): Bytes {
  const s = seg.slice();
  let c = l4Checksum(proto, src, dst, s);
  if (proto === PROTO_UDP && c === 0) c = 0xffff;
  s.set(u16(c), csumOffset(proto));
  return src.length === 4 ? ipv4(proto, src, dst, s, o) : ipv6(proto, src, dst, s, o.hopLimit ?? 64);
}

// ── layer 4 (checksum fields left zero)

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

function tcp(flags: number, payload: Bytes, options: Bytes = zeros(0), window = 502): Bytes {
  const hlen = 20 + options.length;
  return cat(u16(0), u16(0), u32(0), u32(0), [(hlen / 4) << 4, flags], u16(window), [0, 0, 0, 0], options, payload);
}
function udp(sport: number, dport: number, payload: Bytes): Bytes {
  return cat(u16(sport), u16(dport), u16(8 + payload.length), [0, 0], payload);
}
function icmpEcho(type: number, payload: Bytes): Bytes {
  return cat([type, 0, 0, 0], u16(0), u16(0), payload);
}

// ───────────────────────────── templates ─────────────────────────────

const enum Kind {
  Tcp,
  Udp,
  Icmp,
}

/**
 * A frame with all per-flow and per-packet fields zeroed, plus what the hot
 * path needs to fill them in. Offsets are from the start of the frame.
 */
interface Template {
  frame: Bytes;
  kind: Kind;
  v6: boolean;
  ip: number;
  l4: number;
  /** Partial sum of the IPv4 header without addresses, id and checksum. */
  ipSum: number;
  /** Partial sum of the transport segment (+ pseudo-header proto/length) without patched words. */
  l4Sum: number;
  /** Whether the transport checksum covers the IP addresses (not for ICMPv4). */
  pseudo: boolean;
  csum: number;
  /** Offset of a per-packet 16-bit word (DNS id, ICMP seq, RTP seq), or -1. */
  varAt: number;
  /** TCP sequence space consumed (payload + SYN/FIN). */
  seqLen: number;
}

interface TemplateOpts {
  ttl?: number;
  varAt?: number; // relative to the transport header
  seqLen?: number;
}

function makeTemplate(encap: Encap, v6: boolean, proto: number, seg: Bytes, o: TemplateOpts = {}): Template {
  const z = zeros(v6 ? 16 : 4);
  const ipPkt = v6 ? ipv6(proto, z, z, seg, o.ttl ?? 64) : ipv4(proto, z, z, seg, { ttl: o.ttl ?? 64 });
  const frame = ethernet(zeros(6), zeros(6), encap, v6 ? 0x86dd : 0x0800, ipPkt);
  const ip = l2Len(encap);
  const l4 = ip + (v6 ? 40 : 20);
  const pseudo = proto !== PROTO_ICMP;
  const hdr = frame.slice(ip, ip + 20);
  hdr.fill(0, 10, 12); // ipv4() filled in a checksum for zero addresses; exclude it
  return {
    frame,
    kind: proto === PROTO_TCP ? Kind.Tcp : proto === PROTO_UDP ? Kind.Udp : Kind.Icmp,
    v6,
    ip,
    l4,
    ipSum: v6 ? 0 : sum16(hdr),
    l4Sum: fold(sum16(seg) + (pseudo ? pseudoRest(proto, seg.length) : 0)),
    pseudo,
    csum: l4 + csumOffset(proto),
    varAt: o.varAt === undefined ? -1 : l4 + o.varAt,
    seqLen: o.seqLen ?? 0,
  };
}

/** TLS application-data record filling the whole payload, so 443 traffic dissects cleanly. */
function tlsPayload(rng: Rng, n: number): Bytes {
  return cat([0x17, 0x03, 0x03], u16(n - 5), rng.bytes(n - 5));
}

interface TcpShapes {
  ack: Template;
  syn: Template;
  synAck: Template;
  fin: Template;
  rst: Template;
  /** Small data segments, smallest first. */
  data: Template[];
  /** One full-MSS segment (frame of 1514 bytes). */
  full: Template;
}

/** Payload sizes of non-full segments: mostly small RPC/interactive messages, a few medium ones. */
const TCP_DATA_SIZES = [24, 31, 37, 45, 52, 64, 76, 88, 101, 117, 140, 181, 205, 256, 377, 517, 733, 1024];

function tcpShapes(rng: Rng, encap: Encap, v6: boolean): TcpShapes {
  const t = (flags: number, payload: Bytes, seqLen: number, options?: Bytes): Template =>
    makeTemplate(encap, v6, PROTO_TCP, tcp(flags, payload, options), { seqLen });
  const synOpts = cat([2, 4], u16(v6 ? 1440 : 1460), [1, 3, 3, 7], [4, 2, 1, 1]); // MSS, NOP+WS, SACK-perm, NOPs
  // Keep every frame ≤ 1514 bytes: tagged links clamp the MSS accordingly.
  const mss = 1514 - l2Len(encap) - (v6 ? 40 : 20) - 20;
  return {
    ack: t(TCP_ACK, zeros(0), 0),
    syn: t(TCP_SYN, zeros(0), 1, synOpts),
    synAck: t(TCP_SYN | TCP_ACK, zeros(0), 1, synOpts),
    fin: t(TCP_FIN | TCP_ACK, zeros(0), 1),
    rst: t(TCP_RST | TCP_ACK, zeros(0), 0),
    data: TCP_DATA_SIZES.map((n) => t(TCP_PSH | TCP_ACK, tlsPayload(rng, n), n)),
    full: t(TCP_ACK, tlsPayload(rng, mss), mss),
  };
}

// ── DNS

const DNS_NAMES = [
  'api.internal.example.com',
  'www.example.org',
  'metrics.corp.example.net',
  'cdn.example.net',
  'db-01.prod.example.com',
  'auth.example.com',
  'registry.example.io',
  'logs.eu-west.example.com',
];

function dnsName(name: string): Bytes {
  return cat(...name.split('.').map((l) => cat([l.length], ascii(l))), [0]);
}

/** Query and matching response (A or AAAA); transaction id left zero for patching. */
function dnsPair(rng: Rng, name: string, aaaa: boolean): [Bytes, Bytes] {
  const qtype = aaaa ? 28 : 1;
  const question = cat(dnsName(name), u16(qtype), u16(1));
  const query = cat(u16(0), u16(0x0100), u16(1), u16(0), u16(0), u16(0), question);
  const count = rng.range(1, 3);
  const answers: Bytes[] = [];
  for (let i = 0; i < count; i++) {
    const rdata = aaaa ? cat(ip6('2001:db8:cafe::').slice(0, 12), rng.bytes(4)) : cat([10, rng.int(256), rng.int(256), rng.range(1, 254)]);
    answers.push(cat(u16(0xc00c), u16(qtype), u16(1), u32(rng.range(30, 3600)), u16(rdata.length), rdata));
  }
  const response = cat(u16(0), u16(0x8180), u16(1), u16(count), u16(0), u16(0), question, ...answers);
  return [query, response];
}

// ── NTP

/** NTP timestamp (seconds since 1900) of the capture start. */
const NTP_START = START_SEC + 2208988800;

function ntpPair(rng: Rng): [Bytes, Bytes] {
  const ts = (): number[] => [...u32(NTP_START + rng.int(300)), ...u32(rng.u32())];
  const client = cat([0x23, 0, 6, 0xe9], u32(0), u32(0), u32(0), zeros(24), ts());
  const server = cat([0x24, 2, 6, 0xe9], u32(0x00000a3c), u32(0x00001f40), [10, 10, 0, 250], ts(), ts(), ts(), ts());
  return [client, server];
}

// ── RTP-like UDP stream (dynamic payload type, random high ports)

/** Voice-like payload sizes (G.711 20 ms = 172 bytes incl. RTP header) plus some video-ish ones. */
const RTP_SIZES = [60, 92, 160, 172, 172, 200, 240, 320];

function rtpPayload(rng: Rng, n: number): Bytes {
  // V=2, PT=96, seq (patched), timestamp, SSRC, then opaque media.
  return cat([0x80, 96], u16(0), u32(rng.u32()), u32(rng.u32()), rng.bytes(n - 12));
}

// ── ICMP echo (Linux ping layout: 16-byte timeval + 0x10.. pattern)

function pingPayload(): Bytes {
  return cat(u32(START_SEC), u32(0), zeros(8), Array.from({ length: 40 }, (_, i) => 0x10 + i));
}

// ───────────────────────────── static control-plane frames ─────────────────────────────

const GW956_VMAC = mac('00:00:0c:9f:f0:01'); // HSRPv2 group 1 virtual MAC (VLAN 956 gateway)
const GW_UNTAGGED_VMAC = mac('00:00:0c:07:ac:0a'); // HSRPv1 group 10 virtual MAC
const QINQ_GW_MAC = mac('00:1b:54:c2:31:01');
const ROUTER_A = mac('00:2a:6a:5e:11:c1');
const ROUTER_B = mac('00:2a:6a:5e:11:c2');
const BROADCAST = mac('ff:ff:ff:ff:ff:ff');

/** Host MACs derived from the address so each host keeps one MAC. */
function hostMac(addr: Bytes): Bytes {
  const n = addr.length;
  return Uint8Array.from([0x00, 0x50, 0x56, addr[n - 3] & 0x3f, addr[n - 2], addr[n - 1]]);
}

function arp(encap: Encap, op: 1 | 2, ethDst: Bytes, sMac: Bytes, sIp: Bytes, tMac: Bytes, tIp: Bytes): Bytes {
  const body = cat(u16(1), u16(0x0800), [6, 4], u16(op), sMac, sIp, tMac, tIp);
  return ethernet(ethDst, sMac, encap, 0x0806, body);
}

/**
 * ARP conversations, ordered as [request, reply] pairs: broadcast who-has for
 * the gateway, unicast refreshes sent straight to the HSRP virtual MAC, and
 * the gateway resolving hosts.
 */
function arpFrames(rng: Rng): Bytes[] {
  const frames: Bytes[] = [];
  const lans = [
    { encap: VLAN956, gw: ip4('10.200.224.1'), gwMac: GW956_VMAC, host: () => ip4(`10.200.${rng.range(224, 227)}.${rng.range(4, 254)}`) },
    { encap: UNTAGGED, gw: ip4('10.10.0.1'), gwMac: GW_UNTAGGED_VMAC, host: () => ip4(`10.10.${rng.range(0, 63)}.${rng.range(4, 254)}`) },
  ];
  for (const lan of lans) {
    for (let i = 0; i < 40; i++) {
      const hIp = lan.host();
      const hMac = hostMac(hIp);
      const style = i % 4;
      if (style < 2) {
        frames.push(arp(lan.encap, 1, BROADCAST, hMac, hIp, zeros(6), lan.gw));
      } else if (style === 2) {
        frames.push(arp(lan.encap, 1, lan.gwMac, hMac, hIp, lan.gwMac, lan.gw));
      }
      if (style < 3) {
        frames.push(arp(lan.encap, 2, hMac, lan.gwMac, lan.gw, hMac, hIp));
      } else {
        frames.push(arp(lan.encap, 1, BROADCAST, lan.gwMac, lan.gw, zeros(6), hIp));
        frames.push(arp(lan.encap, 2, lan.gwMac, hMac, hIp, lan.gwMac, lan.gw));
      }
    }
  }
  return frames;
}

/** One LACPDU (IEEE 802.3 slow protocols, subtype 1) from port `port` of a LAG. */
function lacpdu(portMac: Bytes, port: number): Bytes {
  const state = 0x3f; // active, short timeout (1 s), aggregating, in sync, collecting, distributing
  const actor = cat([1, 20], u16(0x8000), mac('00:2a:6a:5e:11:00'), u16(0x000d), u16(0x8000), u16(port), [state], zeros(3));
  const partner = cat([2, 20], u16(0x7f00), mac('70:e4:22:8c:40:00'), u16(0x0021), u16(0x8000), u16(0x100 + port), [state], zeros(3));
  const collector = cat([3, 16], u16(0), zeros(12));
  const pdu = cat([1, 1], actor, partner, collector, [0, 0], zeros(50));
  return ethernet(mac('01:80:c2:00:00:02'), portMac, UNTAGGED, 0x8809, pdu);
}

/** VRRPv2 advertisement for VRID 57 on VLAN 957. */
function vrrpAdvert(priority: number, src: Bytes): Bytes {
  const vrid = 57;
  const msg = cat([0x21, vrid, priority, 1, 0, 1], [0, 0], ip4('10.201.0.1'), zeros(8));
  msg.set(u16(checksum(sum16(msg))), 6);
  const pkt = ipv4(PROTO_VRRP, src, ip4('224.0.0.18'), msg, { ttl: 255, df: false });
  return ethernet(mac('01:00:5e:00:00:12'), mac(`00:00:5e:00:01:${vrid.toString(16)}`), VLAN957, 0x0800, pkt);
}

/** HSRPv1 hello for group 10 on the untagged LAN. */
function hsrp1Hello(active: boolean): Bytes {
  const msg = cat([0, 0, active ? 16 : 8, 3, 10, active ? 110 : 100, 10, 0], ascii('cisco'), zeros(3), ip4('10.10.0.1'));
  const src = ip4(active ? '10.10.0.2' : '10.10.0.3');
  const pkt = ipPacket(PROTO_UDP, src, ip4('224.0.0.2'), udp(1985, 1985, msg), { ttl: 1, df: false });
  return ethernet(mac('01:00:5e:00:00:02'), active ? GW_UNTAGGED_VMAC : ROUTER_B, UNTAGGED, 0x0800, pkt);
}

/** HSRPv2 hello (group-state TLV + text auth TLV) for group 1 on VLAN 956. */
function hsrp2Hello(active: boolean): Bytes {
  const bia = active ? ROUTER_A : ROUTER_B;
  const groupState = cat([1, 40, 2, 0, active ? 6 : 5, 4], u16(1), bia, u32(active ? 110 : 100), u32(3000), u32(10000), ip4('10.200.224.1'), zeros(12));
  const auth = cat([3, 8], ascii('cisco'), zeros(3));
  const src = ip4(active ? '10.200.224.2' : '10.200.224.3');
  const pkt = ipPacket(PROTO_UDP, src, ip4('224.0.0.102'), udp(1985, 1985, cat(groupState, auth)), { ttl: 1, df: false });
  return ethernet(mac('01:00:5e:00:00:66'), active ? GW956_VMAC : bia, VLAN956, 0x0800, pkt);
}

/** DHCP DORA exchanges, four frames per client, untagged LAN. */
function dhcpFrames(rng: Rng): Bytes[] {
  const server = ip4('10.10.0.5');
  const serverMac = hostMac(server);
  const frames: Bytes[] = [];
  for (let c = 0; c < 8; c++) {
    const chaddr = Uint8Array.from([0x00, 0x50, 0x56, 0x3f, rng.int(256), rng.int(256)]);
    const xid = rng.u32();
    const yiaddr = ip4(`10.10.${rng.range(40, 63)}.${rng.range(10, 250)}`);
    const opt = (code: number, data: ArrayLike<number>): Bytes => cat([code, data.length], data);
    const common = [opt(54, server)];
    const leaseInfo = [opt(51, u32(86400)), opt(1, ip4('255.255.0.0')), opt(3, ip4('10.10.0.1')), opt(6, ip4('10.10.0.53'))];
    const msg = (op: number, type: number, your: Bytes, options: Bytes[]): Bytes => {
      const body = cat([op, 1, 6, 0], u32(xid), u16(0), u16(0x8000), zeros(4), your, zeros(4), zeros(4), chaddr, zeros(10), zeros(64 + 128), u32(0x63825363), opt(53, [type]), ...options, [255]);
      return body.length >= 300 ? body : cat(body, zeros(300 - body.length));
    };
    const clientOpts = [opt(61, cat([1], chaddr)), opt(55, [1, 3, 6, 15, 51, 54])];
    const fromClient = (m: Bytes): Bytes =>
      ethernet(BROADCAST, chaddr, UNTAGGED, 0x0800, ipPacket(PROTO_UDP, zeros(4), ip4('255.255.255.255'), udp(68, 67, m), { ttl: 128, df: false }));
    const fromServer = (m: Bytes): Bytes =>
      ethernet(BROADCAST, serverMac, UNTAGGED, 0x0800, ipPacket(PROTO_UDP, server, ip4('255.255.255.255'), udp(67, 68, m), { ttl: 64, df: false }));
    frames.push(fromClient(msg(1, 1, zeros(4), clientOpts)));
    frames.push(fromServer(msg(2, 2, yiaddr, [...common, ...leaseInfo])));
    frames.push(fromClient(msg(1, 3, zeros(4), [...clientOpts, opt(50, yiaddr), ...common])));
    frames.push(fromServer(msg(2, 5, yiaddr, [...common, ...leaseInfo])));
  }
  return frames;
}

/** IPv6 neighbour solicitation / advertisement pairs on the untagged LAN. */
function ndpFrames(rng: Rng): Bytes[] {
  const frames: Bytes[] = [];
  const router = ip6('2001:db8:10::1');
  const routerMac = GW_UNTAGGED_VMAC;
  for (let i = 0; i < 16; i++) {
    const host = ip6(`2001:db8:10::${rng.range(0x100, 0xfff).toString(16)}:${rng.range(1, 0xffff).toString(16)}`);
    const hMac = hostMac(host);
    const solicited = cat(ip6('ff02::1:ff00:0').slice(0, 13), host.slice(13));
    const ns = cat([135, 0, 0, 0], zeros(4), router, [1, 1], hMac);
    const na = cat([136, 0, 0, 0], u32(0xe0000000), router, [2, 1], routerMac);
    const nsPkt = ipPacket(PROTO_ICMP6, host, solicited, ns, { hopLimit: 255 });
    const naPkt = ipPacket(PROTO_ICMP6, router, host, na, { hopLimit: 255 });
    frames.push(ethernet(cat([0x33, 0x33], solicited.slice(12)), hMac, UNTAGGED, 0x86dd, nsPkt));
    frames.push(ethernet(hMac, routerMac, UNTAGGED, 0x86dd, naPkt));
  }
  return frames;
}

// ───────────────────────────── flows ─────────────────────────────

/**
 * A bidirectional conversation. Direction 0 is client→server, 1 is the reply.
 * Everything the hot path needs per direction is precomputed here.
 */
class Flow {
  /** Per direction: destination MAC then source MAC (12 bytes). */
  readonly macs: [Bytes, Bytes];
  /** Per direction: source address then destination address (8 or 32 bytes). */
  readonly addrs: [Bytes, Bytes];
  /** Address sum is the same both ways, so one value serves both directions. */
  readonly addrSum: number;
  sport: number; // client port (or ICMP identifier)
  readonly dport: number;
  portSum: number;
  /** Next sequence number per direction (Uint32Array wraps like TCP does). */
  readonly seq = new Uint32Array(2);
  readonly ipId = new Uint16Array(2);
  /** TCP: direction whose data is not yet acknowledged, or -1. */
  unackedDir = -1;
  /** TCP: position in the close → reconnect sequence (see TcpStage), 0 when established. */
  stage = 0;
  /** Request/response flows: a request is outstanding; `word` and `choice` describe it. */
  pending = false;
  word = 0;
  choice = 0;

  constructor(rng: Rng, clientMac: Bytes, serverMac: Bytes, client: Bytes, server: Bytes, sport: number, dport: number) {
    this.macs = [cat(serverMac, clientMac), cat(clientMac, serverMac)];
    this.addrs = [cat(client, server), cat(server, client)];
    this.addrSum = sum16(this.addrs[0]);
    this.sport = sport;
    this.dport = dport;
    this.portSum = sport + dport;
    this.seq[0] = rng.u32();
    this.seq[1] = rng.u32();
    this.ipId[0] = rng.u32();
    this.ipId[1] = rng.u32();
  }

  setClientPort(p: number): void {
    this.sport = p;
    this.portSum = p + this.dport;
  }
}

interface Lan {
  encap: Encap;
  gwMac: Bytes;
  host(rng: Rng): Bytes;
  host6?(rng: Rng): Bytes;
}

const LAN956: Lan = {
  encap: VLAN956,
  gwMac: GW956_VMAC,
  host: (r) => ip4(`10.200.${r.range(224, 227)}.${r.range(4, 254)}`),
  host6: (r) => ip6(`2001:db8:956::${r.range(0x100, 0xfff).toString(16)}:${r.range(1, 0xffff).toString(16)}`),
};
const LAN_UNTAGGED: Lan = {
  encap: UNTAGGED,
  gwMac: GW_UNTAGGED_VMAC,
  host: (r) => ip4(`10.10.${r.range(0, 63)}.${r.range(4, 254)}`),
  host6: (r) => ip6(`2001:db8:10::${r.range(0x100, 0xfff).toString(16)}:${r.range(1, 0xffff).toString(16)}`),
};
const LAN_QINQ: Lan = {
  encap: QINQ,
  gwMac: QINQ_GW_MAC,
  host: (r) => ip4(`172.16.${r.range(0, 31)}.${r.range(2, 254)}`),
};

const remote4 = (r: Rng): Bytes =>
  r.float() < 0.5 ? ip4(`10.${r.range(40, 60)}.${r.int(256)}.${r.range(1, 254)}`) : ip4(`${r.pick([52, 104, 151, 185, 198])}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)}`);
const remote6 = (r: Rng): Bytes => ip6(`2001:db8:ffff:${r.range(1, 0xff).toString(16)}::${r.range(1, 0xffff).toString(16)}`);
/** IANA dynamic range; also keeps clear of 33434+, which tshark flags as traceroute. */
const ephemeral = (r: Rng): number => r.range(49152, 65535);

/** A client on `lan` talking either to a local server or, through the gateway, to a remote one. */
function makeFlow(rng: Rng, lan: Lan, v6: boolean, dport: number, sport = ephemeral(rng), localShare = 0.3): Flow {
  const client = v6 ? lan.host6!(rng) : lan.host(rng);
  const local = rng.float() < localShare;
  const server = local ? (v6 ? lan.host6!(rng) : lan.host(rng)) : v6 ? remote6(rng) : remote4(rng);
  return new Flow(rng, hostMac(client), local ? hostMac(server) : lan.gwMac, client, server, sport, dport);
}

// ───────────────────────────── traffic mix ─────────────────────────────

/** Share of all packets in the keep-alive burst (capped at 500,000 packets). */
const BURST_SHARE = 0.05;
const BURST_MAX = 500_000;

/** Category weights for ordinary packets (periodic and burst packets come on top). */
const enum Cat {
  HeavyHitter,
  Tcp4,
  Tcp6,
  Dns4,
  Dns6,
  Ntp,
  Dhcp,
  Rtp4,
  Rtp6,
  Icmp4,
  Icmp6,
  Ndp,
  Arp,
}
const CATEGORY_WEIGHTS: [Cat, number][] = [
  // 0.263 of the rest plus the 5% burst ≈ 30% of all packets on the heavy hitter.
  [Cat.HeavyHitter, 0.263],
  [Cat.Tcp6, 0.03],
  [Cat.Dns4, 0.05],
  [Cat.Dns6, 0.01],
  [Cat.Ntp, 0.01],
  [Cat.Dhcp, 0.003],
  [Cat.Rtp4, 0.065],
  [Cat.Rtp6, 0.012],
  [Cat.Icmp4, 0.05],
  [Cat.Icmp6, 0.015],
  [Cat.Ndp, 0.004],
  [Cat.Arp, 0.05],
];

/** Per-packet choices for an established TCP connection. */
interface TcpMix {
  /** Probability of a pure ACK (when there is data to acknowledge). */
  ack: number;
  /** Probability of a full-size segment; the rest are small data segments. */
  full: number;
  /** Probability of closing the connection and reconnecting from a new port. */
  reconnect: number;
  /** Probability that a small data segment is client→server. */
  requestShare: number;
  /** Probability that a full-size segment is server→client. */
  downloadShare: number;
}
const HH_MIX: TcpMix = { ack: 0.75, full: 0.015, reconnect: 0, requestShare: 0.55, downloadShare: 0.9 };
const TCP_MIX: TcpMix = { ack: 0.75, full: 0.018, reconnect: 0.004, requestShare: 0.45, downloadShare: 0.85 };

/** Steps after a close: the peer's FIN, then a fresh three-way handshake. */
const enum TcpStage {
  Established,
  PeerFin,
  Syn,
  SynAck,
  HandshakeAck,
}

/** Static frames (ARP, DHCP, NDP) are replayed in order so request/reply pairs stay together. */
class StaticCycle {
  private k = 0;
  constructor(private readonly frames: Bytes[]) {}
  next(): Bytes {
    const f = this.frames[this.k];
    this.k = this.k + 1 === this.frames.length ? 0 : this.k + 1;
    return f;
  }
}

interface Periodic {
  period: number;
  next: number;
  frame: Bytes;
}

/**
 * Produces the packet stream. Each call to fill() appends records to the
 * writer's current chunk until it is full or all packets are written.
 */
class TrafficGenerator {
  private readonly rng: Rng;
  private i = 0;
  private now = 0; // µs since START_SEC
  private sec = START_SEC;
  private usec = 0;
  private readonly burstStart: number;
  private readonly burstEnd: number;
  private readonly progressStep: number;
  private nextProgress: number;

  private readonly catCdf: Float64Array;
  private readonly catIds: Cat[];

  // Templates and flows, grouped per category.
  private readonly hh: Flow;
  private readonly hhShapes: TcpShapes;
  private readonly tcp4: { flow: Flow; shapes: TcpShapes }[] = [];
  private readonly tcp4Picker: ZipfPicker;
  private readonly tcp6: { flow: Flow; shapes: TcpShapes }[] = [];
  private readonly dns4: { flow: Flow; pairs: [Template, Template][] }[] = [];
  private readonly dns6: { flow: Flow; pairs: [Template, Template][] }[] = [];
  private readonly ntp: { flow: Flow; pair: [Template, Template] }[] = [];
  private readonly rtp4: { flow: Flow; sizes: Template[] }[] = [];
  private readonly rtp6: { flow: Flow; sizes: Template[] }[] = [];
  private readonly icmp4: { flow: Flow; pair: [Template, Template] }[] = [];
  private readonly icmp6: { flow: Flow; pair: [Template, Template] }[] = [];
  private readonly arp: StaticCycle;
  private readonly dhcp: StaticCycle;
  private readonly ndp: StaticCycle;
  private readonly periodic: Periodic[];
  private nextDue = 0;

  // Keep-alive burst: fixed fields captured when the burst starts.
  private kaSeq = 0;
  private kaAck = 0;
  private kaId = 0;

  constructor(
    private readonly out: ChunkWriter,
    private readonly packets: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    // Templates come from their own stream so the traffic pattern does not
    // shift whenever a template's construction changes.
    const trng = new Rng(seed ^ 0x9e3779b9);

    const burst = Math.min(BURST_MAX, Math.floor(packets * BURST_SHARE));
    this.burstStart = Math.floor(packets / 2);
    this.burstEnd = this.burstStart + burst;
    this.progressStep = Math.max(1, Math.ceil(packets / 10));
    this.nextProgress = this.progressStep;

    const otherTcp = 1 - CATEGORY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    const weights: [Cat, number][] = [...CATEGORY_WEIGHTS, [Cat.Tcp4, otherTcp]];
    this.catIds = weights.map(([c]) => c);
    this.catCdf = new Float64Array(weights.length);
    let acc = 0;
    weights.forEach(([, w], k) => (this.catCdf[k] = acc += w));

    // Heavy hitter: one chatty client of 10.200.224.80:9090 inside VLAN 956.
    this.hhShapes = tcpShapes(trng, VLAN956, false);
    const hhClient = ip4('10.200.225.14');
    const hhServer = ip4('10.200.224.80');
    this.hh = new Flow(this.rng, hostMac(hhClient), hostMac(hhServer), hhClient, hhServer, 50312, 9090);

    const shapes4 = { untagged: tcpShapes(trng, UNTAGGED, false), vlan: this.hhShapes, qinq: tcpShapes(trng, QINQ, false) };
    const shapes6 = { untagged: tcpShapes(trng, UNTAGGED, true), vlan: tcpShapes(trng, VLAN956, true) };
    const serverPort = (): number => {
      const r = this.rng.float();
      return r < 0.65 ? 443 : r < 0.8 ? 80 : r < 0.9 ? 8443 : 8080;
    };
    for (let k = 0; k < 3000; k++) {
      const r = this.rng.float();
      const [lan, shapes] = r < 0.45 ? [LAN_UNTAGGED, shapes4.untagged] : r < 0.9 ? [LAN956, shapes4.vlan] : [LAN_QINQ, shapes4.qinq];
      this.tcp4.push({ flow: makeFlow(this.rng, lan, false, serverPort()), shapes });
    }
    this.tcp4Picker = new ZipfPicker(this.tcp4.length, 1.0);
    for (let k = 0; k < 200; k++) {
      const [lan, shapes] = this.rng.float() < 0.6 ? [LAN_UNTAGGED, shapes6.untagged] : [LAN956, shapes6.vlan];
      this.tcp6.push({ flow: makeFlow(this.rng, lan, true, serverPort()), shapes });
    }

    this.buildUdpFlows(trng);
    this.buildIcmpFlows();
    this.arp = new StaticCycle(arpFrames(trng));
    this.dhcp = new StaticCycle(dhcpFrames(trng));
    this.ndp = new StaticCycle(ndpFrames(trng));
    this.periodic = [
      { period: 1_000_000, next: 120_000, frame: lacpdu(mac('00:2a:6a:5e:11:81'), 1) },
      { period: 1_000_000, next: 610_000, frame: lacpdu(mac('00:2a:6a:5e:11:82'), 2) },
      { period: 1_000_000, next: 300_000, frame: vrrpAdvert(254, ip4('10.201.0.2')) },
      { period: 3_000_000, next: 900_000, frame: hsrp1Hello(true) },
      { period: 3_000_000, next: 2_100_000, frame: hsrp1Hello(false) },
      { period: 3_000_000, next: 450_000, frame: hsrp2Hello(true) },
      { period: 3_000_000, next: 1_700_000, frame: hsrp2Hello(false) },
    ];
    this.nextDue = Math.min(...this.periodic.map((p) => p.next));
  }

  private buildUdpFlows(trng: Rng): void {
    const dnsTemplates = (encap: Encap, v6: boolean): [Template, Template][] =>
      DNS_NAMES.flatMap((name) =>
        [false, true].map((aaaa): [Template, Template] => {
          const [q, r] = dnsPair(trng, name, aaaa);
          return [makeTemplate(encap, v6, PROTO_UDP, udp(0, 0, q), { varAt: 8 }), makeTemplate(encap, v6, PROTO_UDP, udp(0, 0, r), { varAt: 8 })];
        }),
      );
    const dns = {
      untagged4: dnsTemplates(UNTAGGED, false),
      vlan4: dnsTemplates(VLAN956, false),
      untagged6: dnsTemplates(UNTAGGED, true),
    };
    for (let k = 0; k < 300; k++) {
      const vlan = this.rng.float() < 0.5;
      const lan = vlan ? LAN956 : LAN_UNTAGGED;
      // VLAN 956 resolves through the gateway; the untagged LAN has its resolver on-link.
      const resolver = ip4(vlan ? '10.200.0.53' : '10.10.0.53');
      const client = lan.host(this.rng);
      const flow = new Flow(this.rng, hostMac(client), vlan ? lan.gwMac : hostMac(resolver), client, resolver, ephemeral(this.rng), 53);
      this.dns4.push({ flow, pairs: vlan ? dns.vlan4 : dns.untagged4 });
    }
    for (let k = 0; k < 40; k++) {
      const client = LAN_UNTAGGED.host6!(this.rng);
      const resolver = ip6('2001:db8:10::53');
      const flow = new Flow(this.rng, hostMac(client), hostMac(resolver), client, resolver, ephemeral(this.rng), 53);
      this.dns6.push({ flow, pairs: dns.untagged6 });
    }

    const [ntpQ, ntpR] = ntpPair(trng);
    const ntpPairT: [Template, Template] = [makeTemplate(UNTAGGED, false, PROTO_UDP, udp(0, 0, ntpQ)), makeTemplate(UNTAGGED, false, PROTO_UDP, udp(0, 0, ntpR))];
    for (let k = 0; k < 20; k++) {
      const flow = makeFlow(this.rng, LAN_UNTAGGED, false, 123, 123, 1);
      this.ntp.push({ flow, pair: ntpPairT });
    }

    // Media-like streams between unregistered high ports (16384-16999 ↔ 45600-46999),
    // chosen so no dissector claims them and the payload shows as RTP-looking data.
    const rtpTemplates = (encap: Encap, v6: boolean): Template[] =>
      RTP_SIZES.map((n) => makeTemplate(encap, v6, PROTO_UDP, udp(0, 0, rtpPayload(trng, n)), { varAt: 10 }));
    const rtp = { untagged4: rtpTemplates(UNTAGGED, false), vlan4: rtpTemplates(VLAN956, false), untagged6: rtpTemplates(UNTAGGED, true) };
    for (let k = 0; k < 60; k++) {
      const vlan = this.rng.float() < 0.5;
      const flow = makeFlow(this.rng, vlan ? LAN956 : LAN_UNTAGGED, false, this.rng.range(16384, 16999), this.rng.range(45600, 46999), 0.5);
      this.rtp4.push({ flow, sizes: vlan ? rtp.vlan4 : rtp.untagged4 });
    }
    for (let k = 0; k < 10; k++) {
      const flow = makeFlow(this.rng, LAN_UNTAGGED, true, this.rng.range(16384, 16999), this.rng.range(45600, 46999), 0.5);
      this.rtp6.push({ flow, sizes: rtp.untagged6 });
    }
  }

  private buildIcmpFlows(): void {
    const payload = pingPayload();
    const pair = (encap: Encap, v6: boolean): [Template, Template] => {
      const proto = v6 ? PROTO_ICMP6 : PROTO_ICMP;
      const [req, rep] = v6 ? [128, 129] : [8, 0];
      return [makeTemplate(encap, v6, proto, icmpEcho(req, payload), { varAt: 6 }), makeTemplate(encap, v6, proto, icmpEcho(rep, payload), { varAt: 6 })];
    };
    const v4 = { untagged: pair(UNTAGGED, false), vlan: pair(VLAN956, false), qinq: pair(QINQ, false) };
    for (let k = 0; k < 40; k++) {
      const r = this.rng.float();
      const [lan, p] = r < 0.45 ? [LAN_UNTAGGED, v4.untagged] : r < 0.9 ? [LAN956, v4.vlan] : [LAN_QINQ, v4.qinq];
      // ICMP: the echo identifier travels in `sport`; dport 0 keeps portSum = identifier.
      const flow = makeFlow(this.rng, lan, false, 0, this.rng.range(1, 0xffff));
      this.icmp4.push({ flow, pair: p });
    }
    const v6 = pair(UNTAGGED, true);
    for (let k = 0; k < 10; k++) {
      const flow = makeFlow(this.rng, LAN_UNTAGGED, true, 0, this.rng.range(1, 0xffff));
      this.icmp6.push({ flow, pair: v6 });
    }
  }

  done(): boolean {
    return this.i >= this.packets;
  }

  /** Generates packets until the current chunk is full or the capture is complete. */
  fill(): void {
    const out = this.out;
    while (this.i < this.packets && out.off < out.limit) {
      if (this.i >= this.burstStart && this.i < this.burstEnd) {
        this.tick(1);
        this.keepAlive();
      } else {
        this.tick(1 + (this.rng.u32() % 50));
        if (this.now >= this.nextDue) this.emitPeriodic();
        else this.emitRandom();
      }
      if (++this.i === this.nextProgress) this.reportProgress();
    }
  }

  private reportProgress(): void {
    const pct = Math.round((100 * this.i) / this.packets);
    const mb = (this.out.bytes / 1e6).toFixed(0);
    process.stderr.write(`bench capture: ${pct}% (${this.i.toLocaleString('en-US')} packets, ${mb} MB)\n`);
    this.nextProgress += this.progressStep;
  }

  private tick(gapUs: number): void {
    this.now += gapUs;
    this.usec += gapUs;
    if (this.usec >= 1_000_000) {
      this.usec -= 1_000_000;
      this.sec++;
    }
  }

  private emitRandom(): void {
    const r = this.rng.float();
    const cdf = this.catCdf;
    let k = 0;
    while (k < cdf.length - 1 && r >= cdf[k]) k++;
    switch (this.catIds[k]) {
      case Cat.HeavyHitter:
        return this.tcpPacket(this.hh, this.hhShapes, HH_MIX);
      case Cat.Tcp4: {
        const c = this.tcp4[this.tcp4Picker.pick(this.rng)];
        return this.tcpPacket(c.flow, c.shapes, TCP_MIX);
      }
      case Cat.Tcp6: {
        const c = this.rng.pick(this.tcp6);
        return this.tcpPacket(c.flow, c.shapes, TCP_MIX);
      }
      case Cat.Dns4:
        return this.dnsPacket(this.rng.pick(this.dns4));
      case Cat.Dns6:
        return this.dnsPacket(this.rng.pick(this.dns6));
      case Cat.Ntp:
        return this.requestResponse(this.rng.pick(this.ntp));
      case Cat.Rtp4:
        return this.rtpPacket(this.rng.pick(this.rtp4));
      case Cat.Rtp6:
        return this.rtpPacket(this.rng.pick(this.rtp6));
      case Cat.Icmp4:
        return this.requestResponse(this.rng.pick(this.icmp4));
      case Cat.Icmp6:
        return this.requestResponse(this.rng.pick(this.icmp6));
      case Cat.Arp:
        return this.putStatic(this.arp.next());
      case Cat.Dhcp:
        return this.putStatic(this.dhcp.next());
      case Cat.Ndp:
        return this.putStatic(this.ndp.next());
    }
  }

  private emitPeriodic(): void {
    let due: Periodic | undefined;
    for (const p of this.periodic) if (!due || p.next < due.next) due = p;
    this.out.put(due!.frame, this.sec, this.usec);
    // A little jitter, as real timers drift; kept deterministic via the PRNG.
    due!.next += due!.period + this.rng.range(-2000, 2000);
    this.nextDue = Math.min(...this.periodic.map((p) => p.next));
  }

  private putStatic(frame: Bytes): void {
    this.out.put(frame, this.sec, this.usec);
  }

  private tcpPacket(f: Flow, sh: TcpShapes, mix: TcpMix): void {
    if (f.stage !== TcpStage.Established) return this.reconnectStep(f, sh);
    const rng = this.rng;
    const r = rng.float();
    if (r < mix.ack) {
      if (f.unackedDir < 0) return this.sendSmall(f, sh, mix); // nothing to acknowledge
      // The receiver of the outstanding data acknowledges it.
      const d = f.unackedDir ^ 1;
      this.emit(sh.ack, f, d, f.seq[d], f.seq[d ^ 1], 0, this.nextIpId(f, d));
      f.unackedDir = -1;
    } else if (r < mix.ack + mix.full) {
      this.sendSegment(sh.full, f, rng.float() < mix.downloadShare ? 1 : 0);
    } else if (r < mix.ack + mix.full + mix.reconnect) {
      const d = rng.u32() & 1;
      const rst = rng.float() < 0.2;
      this.sendSegment(rst ? sh.rst : sh.fin, f, d);
      f.stage = rst ? TcpStage.Syn : TcpStage.PeerFin;
      f.unackedDir = d; // the peer's FIN goes the other way
    } else {
      this.sendSmall(f, sh, mix);
    }
  }

  private sendSmall(f: Flow, sh: TcpShapes, mix: TcpMix): void {
    const d = this.rng.float() < mix.requestShare ? 0 : 1;
    // Cubing a uniform number skews the pick hard towards the small sizes.
    const r = this.rng.float();
    this.sendSegment(sh.data[Math.floor(sh.data.length * r * r * r)], f, d);
  }

  private sendSegment(t: Template, f: Flow, d: number): void {
    const seq = f.seq[d];
    this.emit(t, f, d, seq, f.seq[d ^ 1], 0, this.nextIpId(f, d));
    f.seq[d] = seq + t.seqLen;
    f.unackedDir = d;
  }

  /** Finishes a close and opens a new connection from a new client port. */
  private reconnectStep(f: Flow, sh: TcpShapes): void {
    switch (f.stage) {
      case TcpStage.PeerFin:
        this.sendSegment(sh.fin, f, f.unackedDir ^ 1);
        f.stage = TcpStage.Syn;
        return;
      case TcpStage.Syn:
        f.setClientPort(ephemeral(this.rng));
        f.seq[0] = this.rng.u32();
        this.emit(sh.syn, f, 0, f.seq[0], 0, 0, this.nextIpId(f, 0));
        f.seq[0] += 1;
        f.stage = TcpStage.SynAck;
        return;
      case TcpStage.SynAck:
        f.seq[1] = this.rng.u32();
        this.emit(sh.synAck, f, 1, f.seq[1], f.seq[0], 0, this.nextIpId(f, 1));
        f.seq[1] += 1;
        f.stage = TcpStage.HandshakeAck;
        return;
      default:
        this.emit(sh.ack, f, 0, f.seq[0], f.seq[1], 0, this.nextIpId(f, 0));
        f.unackedDir = -1;
        f.stage = TcpStage.Established;
    }
  }

  /** Query with a fresh id and source port, then (on the flow's next turn) the matching response. */
  private dnsPacket(c: { flow: Flow; pairs: [Template, Template][] }): void {
    const f = c.flow;
    if (!f.pending) {
      f.choice = this.rng.int(c.pairs.length);
      f.word = this.rng.u32() & 0xffff;
      f.setClientPort(ephemeral(this.rng));
      this.emit(c.pairs[f.choice][0], f, 0, 0, 0, f.word, this.nextIpId(f, 0));
    } else {
      this.emit(c.pairs[f.choice][1], f, 1, 0, 0, f.word, this.nextIpId(f, 1));
    }
    f.pending = !f.pending;
  }

  /** Echo request / reply style exchanges (ICMP, NTP); the word is the echo sequence number. */
  private requestResponse(c: { flow: Flow; pair: [Template, Template] }): void {
    const f = c.flow;
    if (!f.pending) f.word = (f.word + 1) & 0xffff;
    const d = f.pending ? 1 : 0;
    this.emit(c.pair[d], f, d, 0, 0, f.word, this.nextIpId(f, d));
    f.pending = !f.pending;
  }

  private rtpPacket(c: { flow: Flow; sizes: Template[] }): void {
    const f = c.flow;
    const d = this.rng.float() < 0.7 ? 0 : 1;
    f.word = (f.word + 1) & 0xffff;
    this.emit(c.sizes[this.rng.int(c.sizes.length)], f, d, 0, 0, f.word, this.nextIpId(f, d));
  }

  /**
   * Dense burst: one TCP keep-alive (seq = snd.nxt - 1, no data) of the heavy
   * hitter, re-sent byte-identically every microsecond — as a looping or
   * mirrored packet would appear in a real incident capture.
   */
  private keepAlive(): void {
    const f = this.hh;
    if (this.i === this.burstStart) {
      this.kaSeq = (f.seq[0] - 1) >>> 0;
      this.kaAck = f.seq[1];
      this.kaId = this.nextIpId(f, 0);
    }
    this.emit(this.hhShapes.ack, f, 0, this.kaSeq, this.kaAck, 0, this.kaId);
  }

  private nextIpId(f: Flow, d: number): number {
    return (f.ipId[d] = (f.ipId[d] + 1) & 0xffff);
  }

  /**
   * The hot path: copy the template, then patch MACs, addresses, IP id, ports,
   * seq/ack and the per-packet word, and finish both checksums from the
   * template's precomputed partial sums.
   */
  private emit(t: Template, f: Flow, d: number, seq: number, ack: number, word: number, ipId: number): void {
    const out = this.out;
    const o = out.put(t.frame, this.sec, this.usec);
    const buf = out.buf;
    const v = out.view;
    copySmall(buf, o, f.macs[d]);

    const ip = o + t.ip;
    if (t.v6) {
      copySmall(buf, ip + 8, f.addrs[d]);
    } else {
      copySmall(buf, ip + 12, f.addrs[d]);
      v.setUint16(ip + 4, ipId);
      v.setUint16(ip + 10, ~fold(t.ipSum + f.addrSum + ipId) & 0xffff);
    }

    const l4 = o + t.l4;
    let s = t.l4Sum + (t.pseudo ? f.addrSum : 0) + f.portSum;
    if (t.kind === Kind.Icmp) {
      v.setUint16(l4 + 4, f.sport); // echo identifier
    } else {
      v.setUint16(l4, d === 0 ? f.sport : f.dport);
      v.setUint16(l4 + 2, d === 0 ? f.dport : f.sport);
      if (t.kind === Kind.Tcp) {
        v.setUint32(l4 + 4, seq);
        v.setUint32(l4 + 8, ack);
        s += (seq >>> 16) + (seq & 0xffff) + (ack >>> 16) + (ack & 0xffff);
      }
    }
    if (t.varAt >= 0) {
      v.setUint16(o + t.varAt, word);
      s += word;
    }
    let c = ~fold(s) & 0xffff;
    if (c === 0 && t.kind === Kind.Udp) c = 0xffff; // 0 means "no checksum" in UDP
    v.setUint16(o + t.csum, c);
  }
}
