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
 *
 * Templates and control-plane frames are built once, at setup, with the packet
 * kit (kit/) that the tests and the demo use; the records go out through the
 * kit's PcapWriter.
 */
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concat, ipv4Addr, ipv6Addr, mac, u16, u32, type Addr } from '../kit/bytes.ts';
import { foldCarries, onesSum } from '../kit/checksum.ts';
import { ethernet, type Vlan } from '../kit/link-layer.ts';
import { ipv4, ipv6 } from '../kit/ip.ts';
import { checksumOffset, icmp, icmpv6, tcp, udp } from '../kit/transport.ts';
import {
  arp,
  hsrpV1,
  hsrpV2,
  lacpdu,
  NA_OVERRIDE,
  NA_ROUTER,
  NA_SOLICITED,
  neighborAdvertisement,
  neighborSolicitation,
  vrrpV2,
} from '../kit/control-plane.ts';
import { dhcpMessage, dnsMessage, ntpPacket, rtp, tlsRecord, type DhcpOption, type DnsAnswer, type NtpTime } from '../kit/app-layer.ts';
import { PCAP_RECORD_HEADER_BYTES, PcapWriter } from '../kit/pcap-writer.ts';
import { SeededRandom } from '../kit/random.ts';
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
    await writeFile(`${metaPath}.tmp-${process.pid}`, `${JSON.stringify({ packets, seed, bytes, version: FORMAT_VERSION })}\n`);
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
const MAX_RECORD = PCAP_RECORD_HEADER_BYTES + 1518;
const SNAPLEN = 262144;
const LINKTYPE_ETHERNET = 1;
/** 2017-12-05T13:12:45Z — the capture's first timestamp. */
const START_SEC = Date.UTC(2017, 11, 5, 13, 12, 45) / 1000;

async function writeCapture(path: string, packets: number, seed: number): Promise<number> {
  const fh = await open(path, 'w');
  try {
    const out = new ChunkedCapture(fh);
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
 * generator fills the other (through the kit's PcapWriter), so disk I/O and
 * CPU work overlap.
 */
class ChunkedCapture {
  readonly pcap = new PcapWriter({ endian: 'le', resolution: 'us', linkType: LINKTYPE_ETHERNET, snaplen: SNAPLEN }, CHUNK_BYTES);
  /** Fill up to here; past it a maximum-size record might not fit. */
  readonly limit = CHUNK_BYTES - MAX_RECORD;
  private flushed = 0;
  private spare: Uint8Array = new Uint8Array(CHUNK_BYTES);
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly fh: FileHandle) {}

  get bytes(): number {
    return this.flushed + this.pcap.length;
  }

  async flush(): Promise<void> {
    await this.pending; // the spare buffer is free only once its write finished
    const full = this.pcap.buf;
    const chunk = this.pcap.swap(this.spare);
    this.spare = full;
    this.flushed += chunk.length;
    this.pending = writeAll(this.fh, chunk);
  }

  async close(): Promise<void> {
    if (this.pcap.length > 0) await this.flush();
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

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.length - done);
    done += bytesWritten;
  }
}

/** Picks indices 0..n-1 with probability ∝ 1/(k+1)^s — a few busy flows, a long tail. */
class ZipfPicker {
  private readonly cdf: Float64Array;
  constructor(n: number, s: number) {
    this.cdf = new Float64Array(n);
    let acc = 0;
    for (let k = 0; k < n; k++) this.cdf[k] = acc += 1 / (k + 1) ** s;
    for (let k = 0; k < n; k++) this.cdf[k] /= acc;
  }
  pick(rng: SeededRandom): number {
    // Searching below n - 1: an r at or above a rounded cdf[n - 1] still picks the last index.
    return upperBound(this.cdf, rng.float(), 0, this.cdf.length - 1);
  }
}

// ───────────────────────────── frames (setup only, built with the kit) ─────────────────────────────

type Bytes = Uint8Array;
/** The VLAN tags a frame carries, outermost first. */
type Encap = readonly Vlan[];

const UNTAGGED: Encap = [];
const VLAN956: Encap = [{ tpid: 0x8100, id: 956 }];
const VLAN957: Encap = [{ tpid: 0x8100, id: 957 }];
/** Provider bridge: S-tag 3001 (802.1ad) around customer C-tag 212. */
const QINQ: Encap = [
  { tpid: 0x88a8, id: 3001 },
  { tpid: 0x8100, id: 212 },
];

const l2Len = (e: Encap): number => 14 + 4 * e.length;

/** Frames are padded to 60 bytes before tagging, as on a trunk port. */
function frame(dst: Addr, src: Addr, vlans: Encap, etherType: number, payload: Bytes): Bytes {
  return ethernet({ dst, src, vlans, etherType, payload, padTo: 60 + 4 * vlans.length });
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMP6 = 58;
const PROTO_VRRP = 112;
const ZERO_MAC = new Uint8Array(6);

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
  const zero = new Uint8Array(v6 ? 16 : 4);
  const ttl = o.ttl ?? 64;
  const packet = v6
    ? ipv6({ src: zero, dst: zero, nextHeader: proto, hopLimit: ttl, payload: seg })
    : ipv4({ src: zero, dst: zero, proto, ttl, df: true, payload: seg });
  const bytes = frame(ZERO_MAC, ZERO_MAC, encap, v6 ? ETH_IPV6 : ETH_IPV4, packet);
  const ip = l2Len(encap);
  const l4 = ip + (v6 ? 40 : 20);
  const csum = l4 + checksumOffset(proto)!;
  const pseudo = proto !== PROTO_ICMP;
  // The kit filled in checksums for the zero addresses; the sums leave them out, as emit() rewrites them.
  const hdr = bytes.slice(ip, ip + 20);
  hdr.fill(0, 10, 12);
  const segment = bytes.slice(l4, l4 + seg.length);
  segment.fill(0, csum - l4, csum - l4 + 2);
  return {
    frame: bytes,
    kind: proto === PROTO_TCP ? Kind.Tcp : proto === PROTO_UDP ? Kind.Udp : Kind.Icmp,
    v6,
    ip,
    l4,
    ipSum: v6 ? 0 : onesSum(hdr),
    // The pseudo-header's protocol and length words; the addresses come per flow.
    l4Sum: foldCarries(onesSum(segment) + (pseudo ? foldCarries(proto + seg.length) : 0)),
    pseudo,
    csum,
    varAt: o.varAt === undefined ? -1 : l4 + o.varAt,
    seqLen: o.seqLen ?? 0,
  };
}

/** A UDP segment for a template: emit() patches the ports. */
function udpSegment(payload: Bytes): Bytes {
  return udp({ sport: 0, dport: 0, payload });
}

/** A TLS application-data record filling the whole payload, so 443 traffic dissects cleanly. */
function tlsPayload(rng: SeededRandom, n: number): Bytes {
  return tlsRecord(23, rng.bytes(n - 5));
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

function tcpShapes(rng: SeededRandom, encap: Encap, v6: boolean): TcpShapes {
  const t = (flags: string, payload: Bytes, seqLen: number, options?: Bytes): Template =>
    makeTemplate(encap, v6, PROTO_TCP, tcp({ sport: 0, dport: 0, seq: 0, ack: 0, flags, window: 502, options, payload }), { seqLen });
  // MSS, NOP + window scale 7, SACK permitted, NOP NOP.
  const synOpts = concat(Uint8Array.of(2, 4), u16(v6 ? 1440 : 1460), Uint8Array.of(1, 3, 3, 7, 4, 2, 1, 1));
  // Keep every frame ≤ 1514 bytes: tagged links clamp the MSS accordingly.
  const mss = 1514 - l2Len(encap) - (v6 ? 40 : 20) - 20;
  const none = new Uint8Array(0);
  return {
    ack: t('A', none, 0),
    syn: t('S', none, 1, synOpts),
    synAck: t('SA', none, 1, synOpts),
    fin: t('FA', none, 1),
    rst: t('RA', none, 0),
    data: TCP_DATA_SIZES.map((n) => t('PA', tlsPayload(rng, n), n)),
    full: t('A', tlsPayload(rng, mss), mss),
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

/** Query and matching response (A or AAAA); transaction id left zero for patching. */
function dnsPair(rng: SeededRandom, name: string, aaaa: boolean): [Bytes, Bytes] {
  const qtype = aaaa ? 28 : 1;
  const query = dnsMessage({ id: 0, flags: 0x0100, name, qtype });
  const count = rng.range(1, 3);
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < count; i++) {
    const data = aaaa ? concat(ipv6Addr('2001:db8:cafe::').subarray(0, 12), rng.bytes(4)) : Uint8Array.of(10, rng.int(256), rng.int(256), rng.range(1, 254));
    answers.push({ ttl: rng.range(30, 3600), data });
  }
  return [query, dnsMessage({ id: 0, flags: 0x8180, name, qtype, answers })];
}

// ── NTP

/** NTP timestamp (seconds since 1900) of the capture start. */
const NTP_START = START_SEC + 2208988800;

function ntpPair(rng: SeededRandom): [Bytes, Bytes] {
  const ts = (): NtpTime => ({ sec: NTP_START + rng.int(300), frac: rng.u32() });
  const client = ntpPacket({ mode: 3, stratum: 0, poll: 6, precision: -23, transmit: ts() });
  const server = ntpPacket({
    mode: 4,
    stratum: 2,
    poll: 6,
    precision: -23,
    rootDelay: 0x00000a3c,
    rootDispersion: 0x00001f40,
    refId: '10.10.0.250',
    reference: ts(),
    origin: ts(),
    receive: ts(),
    transmit: ts(),
  });
  return [client, server];
}

// ── RTP-like UDP stream (dynamic payload type, random high ports)

/** Voice-like payload sizes (G.711 20 ms = 172 bytes incl. RTP header) plus some video-ish ones. */
const RTP_SIZES = [60, 92, 160, 172, 172, 200, 240, 320];

function rtpPayload(rng: SeededRandom, n: number): Bytes {
  // PT=96, seq (patched), timestamp, SSRC, then opaque media.
  return rtp({ payloadType: 96, seq: 0, timestamp: rng.u32(), ssrc: rng.u32(), payload: rng.bytes(n - 12) });
}

// ── ICMP echo (Linux ping layout: 16-byte timeval + 0x10.. pattern)

function pingPayload(): Bytes {
  return concat(
    u32(START_SEC),
    new Uint8Array(12),
    Uint8Array.from({ length: 40 }, (_, i) => 0x10 + i),
  );
}

// ───────────────────────────── static control-plane frames ─────────────────────────────

const GW956_VMAC = mac('00:00:0c:9f:f0:01'); // HSRPv2 group 1 virtual MAC (VLAN 956 gateway)
const GW_UNTAGGED_VMAC = mac('00:00:0c:07:ac:0a'); // HSRPv1 group 10 virtual MAC
const QINQ_GW_MAC = mac('00:1b:54:c2:31:01');
const ROUTER_A = mac('00:2a:6a:5e:11:c1');
const ROUTER_B = mac('00:2a:6a:5e:11:c2');
const BROADCAST = mac('ff:ff:ff:ff:ff:ff');
const NO_MAC = new Uint8Array(6);

/** Host MACs derived from the address so each host keeps one MAC. */
function hostMac(addr: Bytes): Bytes {
  const n = addr.length;
  return Uint8Array.from([0x00, 0x50, 0x56, addr[n - 3] & 0x3f, addr[n - 2], addr[n - 1]]);
}

function arpFrame(encap: Encap, op: 1 | 2, ethDst: Bytes, senderMac: Bytes, senderIp: Bytes, targetMac: Bytes, targetIp: Bytes): Bytes {
  return frame(ethDst, senderMac, encap, 0x0806, arp({ op, senderMac, senderIp, targetMac, targetIp }));
}

/**
 * ARP conversations, ordered as [request, reply] pairs: broadcast who-has for
 * the gateway, unicast refreshes sent straight to the HSRP virtual MAC, and
 * the gateway resolving hosts.
 */
function arpFrames(rng: SeededRandom): Bytes[] {
  const frames: Bytes[] = [];
  const lans = [
    { encap: VLAN956, gw: ipv4Addr('10.200.224.1'), gwMac: GW956_VMAC, host: () => ipv4Addr(`10.200.${rng.range(224, 227)}.${rng.range(4, 254)}`) },
    { encap: UNTAGGED, gw: ipv4Addr('10.10.0.1'), gwMac: GW_UNTAGGED_VMAC, host: () => ipv4Addr(`10.10.${rng.range(0, 63)}.${rng.range(4, 254)}`) },
  ];
  for (const lan of lans) {
    for (let i = 0; i < 40; i++) {
      const hIp = lan.host();
      const hMac = hostMac(hIp);
      const style = i % 4;
      if (style < 2) {
        frames.push(arpFrame(lan.encap, 1, BROADCAST, hMac, hIp, NO_MAC, lan.gw));
      } else if (style === 2) {
        frames.push(arpFrame(lan.encap, 1, lan.gwMac, hMac, hIp, lan.gwMac, lan.gw));
      }
      if (style < 3) {
        frames.push(arpFrame(lan.encap, 2, hMac, lan.gwMac, lan.gw, hMac, hIp));
      } else {
        frames.push(arpFrame(lan.encap, 1, BROADCAST, lan.gwMac, lan.gw, NO_MAC, hIp));
        frames.push(arpFrame(lan.encap, 2, lan.gwMac, hMac, hIp, lan.gwMac, lan.gw));
      }
    }
  }
  return frames;
}

/** One LACPDU from port `port` of a LAG. */
function lacpFrame(portMac: Bytes, port: number): Bytes {
  const state = 0x3f; // active, short timeout (1 s), aggregating, in sync, collecting, distributing
  const pdu = lacpdu({
    actor: { systemPriority: 0x8000, system: '00:2a:6a:5e:11:00', key: 0x000d, portPriority: 0x8000, port, state },
    partner: { systemPriority: 0x7f00, system: '70:e4:22:8c:40:00', key: 0x0021, portPriority: 0x8000, port: 0x100 + port, state },
    collectorMaxDelay: 0,
  });
  return frame('01:80:c2:00:00:02', portMac, UNTAGGED, 0x8809, pdu);
}

/** VRRPv2 advertisement for VRID 57 on VLAN 957. */
function vrrpAdvert(priority: number, src: Bytes): Bytes {
  const vrid = 57;
  const advert = vrrpV2({ vrid, priority, addresses: ['10.201.0.1'], advertInt: 1 });
  const pkt = ipv4({ src, dst: '224.0.0.18', proto: PROTO_VRRP, ttl: 255, payload: advert });
  return frame('01:00:5e:00:00:12', `00:00:5e:00:01:${vrid.toString(16)}`, VLAN957, ETH_IPV4, pkt);
}

/** HSRPv1 hello for group 10 on the untagged LAN. */
function hsrp1Hello(active: boolean): Bytes {
  const hello = hsrpV1({ opcode: 0, state: active ? 16 : 8, hellotime: 3, holdtime: 10, priority: active ? 110 : 100, group: 10, virtualIp: '10.10.0.1' });
  const src = active ? '10.10.0.2' : '10.10.0.3';
  const pkt = ipv4({ src, dst: '224.0.0.2', proto: PROTO_UDP, ttl: 1, payload: udp({ sport: 1985, dport: 1985, payload: hello }) });
  return frame('01:00:5e:00:00:02', active ? GW_UNTAGGED_VMAC : ROUTER_B, UNTAGGED, ETH_IPV4, pkt);
}

/** HSRPv2 hello (group-state TLV + text auth TLV) for group 1 on VLAN 956. */
function hsrp2Hello(active: boolean): Bytes {
  const bia = active ? ROUTER_A : ROUTER_B;
  const hello = hsrpV2({
    opcode: 0,
    state: active ? 6 : 5,
    group: 1,
    identifier: bia,
    priority: active ? 110 : 100,
    hellotime: 3000,
    holdtime: 10000,
    virtualIp: '10.200.224.1',
    auth: 'cisco',
  });
  const src = active ? '10.200.224.2' : '10.200.224.3';
  const pkt = ipv4({ src, dst: '224.0.0.102', proto: PROTO_UDP, ttl: 1, payload: udp({ sport: 1985, dport: 1985, payload: hello }) });
  return frame('01:00:5e:00:00:66', active ? GW956_VMAC : bia, VLAN956, ETH_IPV4, pkt);
}

/** DHCP DORA exchanges, four frames per client, untagged LAN. */
function dhcpFrames(rng: SeededRandom): Bytes[] {
  const server = ipv4Addr('10.10.0.5');
  const serverMac = hostMac(server);
  const frames: Bytes[] = [];
  for (let c = 0; c < 8; c++) {
    const chaddr = Uint8Array.from([0x00, 0x50, 0x56, 0x3f, rng.int(256), rng.int(256)]);
    const xid = rng.u32();
    const yiaddr = ipv4Addr(`10.10.${rng.range(40, 63)}.${rng.range(10, 250)}`);
    const common: DhcpOption[] = [[54, server]];
    const leaseInfo: DhcpOption[] = [
      [51, u32(86400)],
      [1, ipv4Addr('255.255.0.0')],
      [3, ipv4Addr('10.10.0.1')],
      [6, ipv4Addr('10.10.0.53')],
    ];
    const clientOpts: DhcpOption[] = [
      [61, concat(Uint8Array.of(1), chaddr)],
      [55, Uint8Array.of(1, 3, 6, 15, 51, 54)],
    ];
    const fromClient = (messageType: number, options: DhcpOption[]): Bytes => {
      const msg = dhcpMessage({ op: 1, xid, broadcast: true, chaddr, messageType, options });
      const pkt = ipv4({ src: '0.0.0.0', dst: '255.255.255.255', proto: PROTO_UDP, ttl: 128, payload: udp({ sport: 68, dport: 67, payload: msg }) });
      return frame(BROADCAST, chaddr, UNTAGGED, ETH_IPV4, pkt);
    };
    const fromServer = (messageType: number): Bytes => {
      const msg = dhcpMessage({ op: 2, xid, broadcast: true, yiaddr, chaddr, messageType, options: [...common, ...leaseInfo] });
      const pkt = ipv4({ src: server, dst: '255.255.255.255', proto: PROTO_UDP, ttl: 64, payload: udp({ sport: 67, dport: 68, payload: msg }) });
      return frame(BROADCAST, serverMac, UNTAGGED, ETH_IPV4, pkt);
    };
    frames.push(fromClient(1, clientOpts)); // Discover
    frames.push(fromServer(2)); // Offer
    frames.push(fromClient(3, [...clientOpts, [50, yiaddr], ...common])); // Request
    frames.push(fromServer(5)); // Ack
  }
  return frames;
}

/** IPv6 neighbour solicitation / advertisement pairs on the untagged LAN. */
function ndpFrames(rng: SeededRandom): Bytes[] {
  const frames: Bytes[] = [];
  const router = ipv6Addr('2001:db8:10::1');
  const routerMac = GW_UNTAGGED_VMAC;
  for (let i = 0; i < 16; i++) {
    const host = ipv6Addr(`2001:db8:10::${rng.range(0x100, 0xfff).toString(16)}:${rng.range(1, 0xffff).toString(16)}`);
    const hMac = hostMac(host);
    const solicited = concat(ipv6Addr('ff02::1:ff00:0').subarray(0, 13), host.subarray(13));
    const ns = neighborSolicitation({ target: router, sourceMac: hMac });
    const na = neighborAdvertisement({ flags: NA_ROUTER | NA_SOLICITED | NA_OVERRIDE, target: router, targetMac: routerMac });
    const nsPkt = ipv6({ src: host, dst: solicited, nextHeader: PROTO_ICMP6, hopLimit: 255, payload: ns });
    const naPkt = ipv6({ src: router, dst: host, nextHeader: PROTO_ICMP6, hopLimit: 255, payload: na });
    frames.push(frame(concat(Uint8Array.of(0x33, 0x33), solicited.subarray(12)), hMac, UNTAGGED, ETH_IPV6, nsPkt));
    frames.push(frame(hMac, routerMac, UNTAGGED, ETH_IPV6, naPkt));
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

  constructor(rng: SeededRandom, clientMac: Bytes, serverMac: Bytes, client: Bytes, server: Bytes, sport: number, dport: number) {
    this.macs = [concat(serverMac, clientMac), concat(clientMac, serverMac)];
    this.addrs = [concat(client, server), concat(server, client)];
    this.addrSum = onesSum(this.addrs[0]);
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
  host(rng: SeededRandom): Bytes;
  host6?(rng: SeededRandom): Bytes;
}

const LAN956: Lan = {
  encap: VLAN956,
  gwMac: GW956_VMAC,
  host: (r) => ipv4Addr(`10.200.${r.range(224, 227)}.${r.range(4, 254)}`),
  host6: (r) => ipv6Addr(`2001:db8:956::${r.range(0x100, 0xfff).toString(16)}:${r.range(1, 0xffff).toString(16)}`),
};
const LAN_UNTAGGED: Lan = {
  encap: UNTAGGED,
  gwMac: GW_UNTAGGED_VMAC,
  host: (r) => ipv4Addr(`10.10.${r.range(0, 63)}.${r.range(4, 254)}`),
  host6: (r) => ipv6Addr(`2001:db8:10::${r.range(0x100, 0xfff).toString(16)}:${r.range(1, 0xffff).toString(16)}`),
};
const LAN_QINQ: Lan = {
  encap: QINQ,
  gwMac: QINQ_GW_MAC,
  host: (r) => ipv4Addr(`172.16.${r.range(0, 31)}.${r.range(2, 254)}`),
};

const remote4 = (r: SeededRandom): Bytes =>
  r.float() < 0.5
    ? ipv4Addr(`10.${r.range(40, 60)}.${r.int(256)}.${r.range(1, 254)}`)
    : ipv4Addr(`${r.pick([52, 104, 151, 185, 198])}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)}`);
const remote6 = (r: SeededRandom): Bytes => ipv6Addr(`2001:db8:ffff:${r.range(1, 0xff).toString(16)}::${r.range(1, 0xffff).toString(16)}`);
/** IANA dynamic range; also keeps clear of 33434+, which tshark flags as traceroute. */
const ephemeral = (r: SeededRandom): number => r.range(49152, 65535);

/** A client on `lan` talking either to a local server or, through the gateway, to a remote one. */
function makeFlow(rng: SeededRandom, lan: Lan, v6: boolean, dport: number, sport = ephemeral(rng), localShare = 0.3): Flow {
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
  private readonly rng: SeededRandom;
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
    private readonly out: ChunkedCapture,
    private readonly packets: number,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
    // Templates come from their own stream so the traffic pattern does not
    // shift whenever a template's construction changes.
    const trng = new SeededRandom(seed ^ 0x9e3779b9);

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
    for (const [k, [, w]] of weights.entries()) this.catCdf[k] = acc += w;

    // Heavy hitter: one chatty client of 10.200.224.80:9090 inside VLAN 956.
    this.hhShapes = tcpShapes(trng, VLAN956, false);
    const hhClient = ipv4Addr('10.200.225.14');
    const hhServer = ipv4Addr('10.200.224.80');
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
      { period: 1_000_000, next: 120_000, frame: lacpFrame(mac('00:2a:6a:5e:11:81'), 1) },
      { period: 1_000_000, next: 610_000, frame: lacpFrame(mac('00:2a:6a:5e:11:82'), 2) },
      { period: 1_000_000, next: 300_000, frame: vrrpAdvert(254, ipv4Addr('10.201.0.2')) },
      { period: 3_000_000, next: 900_000, frame: hsrp1Hello(true) },
      { period: 3_000_000, next: 2_100_000, frame: hsrp1Hello(false) },
      { period: 3_000_000, next: 450_000, frame: hsrp2Hello(true) },
      { period: 3_000_000, next: 1_700_000, frame: hsrp2Hello(false) },
    ];
    this.nextDue = Math.min(...this.periodic.map((p) => p.next));
  }

  private buildUdpFlows(trng: SeededRandom): void {
    const dnsTemplates = (encap: Encap, v6: boolean): [Template, Template][] =>
      DNS_NAMES.flatMap((name) =>
        [false, true].map((aaaa): [Template, Template] => {
          const [q, r] = dnsPair(trng, name, aaaa);
          return [makeTemplate(encap, v6, PROTO_UDP, udpSegment(q), { varAt: 8 }), makeTemplate(encap, v6, PROTO_UDP, udpSegment(r), { varAt: 8 })];
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
      const resolver = ipv4Addr(vlan ? '10.200.0.53' : '10.10.0.53');
      const client = lan.host(this.rng);
      const flow = new Flow(this.rng, hostMac(client), vlan ? lan.gwMac : hostMac(resolver), client, resolver, ephemeral(this.rng), 53);
      this.dns4.push({ flow, pairs: vlan ? dns.vlan4 : dns.untagged4 });
    }
    for (let k = 0; k < 40; k++) {
      const client = LAN_UNTAGGED.host6!(this.rng);
      const resolver = ipv6Addr('2001:db8:10::53');
      const flow = new Flow(this.rng, hostMac(client), hostMac(resolver), client, resolver, ephemeral(this.rng), 53);
      this.dns6.push({ flow, pairs: dns.untagged6 });
    }

    const [ntpQ, ntpR] = ntpPair(trng);
    const ntpPairT: [Template, Template] = [
      makeTemplate(UNTAGGED, false, PROTO_UDP, udpSegment(ntpQ)),
      makeTemplate(UNTAGGED, false, PROTO_UDP, udpSegment(ntpR)),
    ];
    for (let k = 0; k < 20; k++) {
      const flow = makeFlow(this.rng, LAN_UNTAGGED, false, 123, 123, 1);
      this.ntp.push({ flow, pair: ntpPairT });
    }

    // Media-like streams between unregistered high ports (16384-16999 ↔ 45600-46999),
    // chosen so no dissector claims them and the payload shows as RTP-looking data.
    const rtpTemplates = (encap: Encap, v6: boolean): Template[] =>
      RTP_SIZES.map((n) => makeTemplate(encap, v6, PROTO_UDP, udpSegment(rtpPayload(trng, n)), { varAt: 10 }));
    const media = { untagged4: rtpTemplates(UNTAGGED, false), vlan4: rtpTemplates(VLAN956, false), untagged6: rtpTemplates(UNTAGGED, true) };
    for (let k = 0; k < 60; k++) {
      const vlan = this.rng.float() < 0.5;
      const flow = makeFlow(this.rng, vlan ? LAN956 : LAN_UNTAGGED, false, this.rng.range(16384, 16999), this.rng.range(45600, 46999), 0.5);
      this.rtp4.push({ flow, sizes: vlan ? media.vlan4 : media.untagged4 });
    }
    for (let k = 0; k < 10; k++) {
      const flow = makeFlow(this.rng, LAN_UNTAGGED, true, this.rng.range(16384, 16999), this.rng.range(45600, 46999), 0.5);
      this.rtp6.push({ flow, sizes: media.untagged6 });
    }
  }

  private buildIcmpFlows(): void {
    const payload = pingPayload();
    const pair = (encap: Encap, v6: boolean): [Template, Template] => {
      const proto = v6 ? PROTO_ICMP6 : PROTO_ICMP;
      const [req, rep] = v6 ? [128, 129] : [8, 0];
      const echo = (type: number) => (v6 ? icmpv6 : icmp)({ type, code: 0, payload });
      return [makeTemplate(encap, v6, proto, echo(req), { varAt: 6 }), makeTemplate(encap, v6, proto, echo(rep), { varAt: 6 })];
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
    const pcap = this.out.pcap;
    const limit = this.out.limit;
    while (this.i < this.packets && pcap.length < limit) {
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
    this.out.pcap.record(this.sec, this.usec, due!.frame);
    // A little jitter, as real timers drift; kept deterministic via the PRNG.
    due!.next += due!.period + this.rng.range(-2000, 2000);
    this.nextDue = Math.min(...this.periodic.map((p) => p.next));
  }

  private putStatic(frame: Bytes): void {
    this.out.pcap.record(this.sec, this.usec, frame);
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
    const out = this.out.pcap;
    const o = out.record(this.sec, this.usec, t.frame);
    const buf = out.buf;
    const v = out.view;
    copySmall(buf, o, f.macs[d]);

    const ip = o + t.ip;
    if (t.v6) {
      copySmall(buf, ip + 8, f.addrs[d]);
    } else {
      copySmall(buf, ip + 12, f.addrs[d]);
      v.setUint16(ip + 4, ipId);
      v.setUint16(ip + 10, ~foldCarries(t.ipSum + f.addrSum + ipId) & 0xffff);
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
    let c = ~foldCarries(s) & 0xffff;
    if (c === 0 && t.kind === Kind.Udp) c = 0xffff; // 0 means "no checksum" in UDP
    v.setUint16(o + t.csum, c);
  }
}
