/**
 * The pcap and pcapng readers on every variant the capture writer can produce, at chunk
 * sizes from 64 bytes (smaller than one record) to 8 MiB, from memory and from a file.
 * Expected lengths, bytes, interfaces and comments come from the generated input;
 * expected timestamps from tshark reading the same file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { bytesSource, type ByteSource } from '../src/capture/byte-source.ts';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { NotACapture } from '../src/capture/packet-sink.ts';
import { ingest } from '../src/store/capture.ts';
import { epochText } from '../src/store/time-format.ts';
import { gzipBytes } from '../kit/gzip.ts';
import { writePcap, type PcapRecord } from '../kit/pcap-writer.ts';
import { writePcapng, type Block, type Section } from '../kit/pcapng-writer.ts';
import * as f from '../kit/frames.ts';
import { capinfosCounts, tcpdumpFrames, tsharkFields } from './support/oracle.ts';

const CHUNK_SIZES = [64, 1000, 4096, 65536, 8 << 20];

const dir = mkdtempSync(path.join(tmpdir(), 'readers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One packet as the input describes it. */
interface Expected {
  data: Uint8Array;
  origLen: number;
  iface: number;
  comments: string[];
  /** SPBs carry no timestamp: tshark prints none, we give time zero. */
  untimed?: boolean;
}

interface ExpectedInterface {
  linkType: number;
  snaplenBytes: number;
  name?: string;
  description?: string;
  resolution: string;
}

interface Fixture {
  name: string;
  bytes: Uint8Array;
  packets: Expected[];
  interfaces: ExpectedInterface[];
  /** Warning codes, in order. */
  warnings: string[];
}

// ---- frames ------------------------------------------------------------------

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';

const tcp4 = (n: number) =>
  f.ipv4({ src: `192.0.2.${n}`, dst: '198.51.100.1', proto: 6, payload: f.tcp({ sport: 40000 + n, dport: 443, seq: n, ack: 0, flags: 'S', window: 64240 }) });
const udp4 = (n: number) =>
  f.ipv4({ src: '198.51.100.7', dst: `192.0.2.${n}`, proto: 17, payload: f.udp({ sport: 53, dport: 50000 + n, payload: f.ascii(`answer ${n}`) }) });
const icmp6 = (n: number) =>
  f.ipv6({ src: '2001:db8::1', dst: `2001:db8::${n.toString(16)}`, nextHeader: 58, payload: f.icmpv6({ type: 128, code: 0, id: n, seq: 1 }) });
const eth = (payload: Uint8Array, etherType = 0x0800) => f.ethernet({ dst: MAC_B, src: MAC_A, etherType, payload });
const arp = (n: number) =>
  f.ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: MAC_A,
    etherType: 0x0806,
    payload: f.arp({ op: 1, senderMac: MAC_A, senderIp: '192.0.2.1', targetMac: '00:00:00:00:00:00', targetIp: `192.0.2.${n}` }),
  });
/** Five Ethernet frames of different kinds. */
const ethFrames = (n: number) => [
  eth(tcp4(n)),
  eth(udp4(n)),
  arp(n),
  eth(icmp6(n), 0x86dd),
  f.ethernet({ dst: MAC_B, src: MAC_A, vlans: [{ tpid: 0x8100, id: 7 }], etherType: 0x0800, payload: tcp4(n + 1) }),
];

// ---- fixtures ----------------------------------------------------------------

function pcapFixture(name: string, o: Parameters<typeof writePcap>[0], warnings: string[] = []): Fixture {
  return {
    name,
    bytes: writePcap(o),
    packets: o.records.map((r) => ({ data: r.data, origLen: r.origLen ?? r.data.length, iface: 0, comments: [] })),
    interfaces: [{ linkType: o.linkType, snaplenBytes: o.snaplen, name: undefined, description: undefined, resolution: o.resolution }],
    warnings,
  };
}

function resolutionLabel(tsresol = 6): string {
  return tsresol & 0x80 ? `2^-${tsresol & 0x7f}` : `10^-${tsresol}`;
}

/** What a pcapng file holds, worked out from the blocks that went into it. */
function pcapngFixture(name: string, sections: Section[], warnings: string[] = []): Fixture {
  const interfaces: ExpectedInterface[] = [];
  const packets: Expected[] = [];
  for (const section of sections) {
    const first = interfaces.length;
    for (const b of section.blocks) {
      if (b.type === 'idb') {
        interfaces.push({ linkType: b.linkType, snaplenBytes: b.snaplen, name: b.name, description: b.description, resolution: resolutionLabel(b.tsresol) });
      } else if (b.type === 'epb' || b.type === 'pb') {
        const comments = b.type === 'epb' && b.comment !== undefined ? [b.comment].flat() : [];
        packets.push({ data: b.data, origLen: b.origLen ?? b.data.length, iface: first + b.iface, comments });
      } else if (b.type === 'spb') {
        // Captured length: the original length, cut to interface 0's snaplen when it has one.
        const origLen = b.origLen ?? b.data.length;
        const snaplen = interfaces[first].snaplenBytes;
        const capLen = snaplen === 0 ? origLen : Math.min(origLen, snaplen);
        packets.push({ data: b.data.subarray(0, capLen), origLen, iface: first, comments: [], untimed: true });
      }
    }
  }
  return { name, bytes: writePcapng({ sections }), packets, interfaces, warnings };
}

function gzipped(fx: Fixture): Fixture {
  return { ...fx, name: `${fx.name}.gz`, bytes: gzipBytes(fx.bytes) };
}

const T0 = 1_700_000_000;

const pcapVariants = (['le', 'be'] as const).flatMap((endian) =>
  (['us', 'ns'] as const).map((resolution) => {
    const fracMax = resolution === 'us' ? 999_999 : 999_999_999;
    const records: PcapRecord[] = [
      ...ethFrames(1).map((data, i) => ({ tsSec: T0 + i, tsFrac: i * 12_345, data })),
      { tsSec: T0 + 9, tsFrac: fracMax, data: eth(tcp4(9)).subarray(0, 34), origLen: 1514 }, // snapped
      { tsSec: 0, tsFrac: 1, data: eth(udp4(2)) }, // 1970, out of time order
      { tsSec: 0x7fffffff, tsFrac: 0, data: eth(udp4(3)) },
      { tsSec: 0xffffffff, tsFrac: fracMax, data: eth(udp4(4)) }, // the last second a pcap can hold
    ];
    return pcapFixture(`${endian}-${resolution}.pcap`, { endian, resolution, linkType: 1, snaplen: 65535, records });
  }),
);

const ip4Packets = [tcp4(1), udp4(2), tcp4(3)];
const linkTypes: { linkType: number; frames: Uint8Array[]; warnings?: string[] }[] = [
  { linkType: 113, frames: ip4Packets.map((p, i) => f.linuxSll({ pktType: i, haType: 1, addr: MAC_A, protocol: 0x0800, payload: p })) },
  {
    linkType: 276,
    frames: [
      ...ip4Packets.map((p) => f.linuxSll2({ protocol: 0x0800, ifIndex: 3, haType: 1, pktType: 0, addr: MAC_A, payload: p })),
      f.linuxSll2({ protocol: 0x86dd, ifIndex: 3, haType: 1, pktType: 4, addr: MAC_B, payload: icmp6(5) }),
    ],
  },
  { linkType: 101, frames: [...ip4Packets, icmp6(2)] },
  { linkType: 228, frames: ip4Packets },
  { linkType: 229, frames: [icmp6(1), icmp6(2)] },
  // The NULL family is in the capturing host's byte order: one of each.
  { linkType: 0, frames: [f.bsdNull(2, tcp4(1), true), f.bsdNull(2, udp4(2), false), f.bsdNull(30, icmp6(3), true)] },
  // USER0: nothing decodes it, but its frames are still packets.
  {
    linkType: 147,
    frames: [f.ascii('opaque frame one'), new Uint8Array(0), Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)],
    warnings: ['opaque-link-type'],
  },
];
const linkTypeFixtures = linkTypes.map(({ linkType, frames, warnings }) =>
  pcapFixture(
    `linktype-${linkType}.pcap`,
    { endian: 'le', resolution: 'us', linkType, snaplen: 262144, records: frames.map((data, i) => ({ tsSec: T0 + i, tsFrac: 500_000, data })) },
    warnings,
  ),
);

// Each oddity twice: kept both times, warned once.
const oddRecords = pcapFixture(
  'odd-records.pcap',
  {
    endian: 'le',
    resolution: 'us',
    linkType: 1,
    snaplen: 64,
    records: [
      { tsSec: T0, tsFrac: 0, data: eth(tcp4(1)) },
      { tsSec: T0 + 1, tsFrac: 0, data: eth(udp4(1)).subarray(0, 60), origLen: 100 }, // snapped
      { tsSec: T0 + 2, tsFrac: 0, data: eth(tcp4(2)), origLen: 20 }, // caplen > origlen
      { tsSec: T0 + 3, tsFrac: 0, data: new Uint8Array(100).fill(0xee) }, // caplen > snaplen
      { tsSec: T0 + 4, tsFrac: 0, data: eth(tcp4(3)), origLen: 10 },
      { tsSec: T0 + 5, tsFrac: 0, data: new Uint8Array(80).fill(0xdd) },
    ],
  },
  ['caplen-over-len', 'caplen-over-snaplen'],
);

const oddPcapng = pcapngFixture(
  'odd-records.pcapng',
  [
    {
      endian: 'le',
      blocks: [
        { type: 'idb', linkType: 1, snaplen: 64 },
        { type: 'epb', iface: 0, ts: 1n, data: eth(tcp4(1)), origLen: 20 },
        { type: 'epb', iface: 0, ts: 2n, data: new Uint8Array(100).fill(0xee) },
        { type: 'epb', iface: 0, ts: 3n, data: eth(udp4(1)), origLen: 10 },
        { type: 'epb', iface: 0, ts: 4n, data: new Uint8Array(80).fill(0xdd) },
      ],
    },
  ],
  ['caplen-over-len', 'caplen-over-snaplen'],
);

const POW2_20 = 0x80 | 20;
const S = BigInt(T0);
const [a, b, c, d] = [ethFrames(10), ethFrames(20), ethFrames(30), ethFrames(40)];
const firstSection: Block[] = [
  { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth0', description: 'µs, described', tsresol: 6 },
  { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth1', tsresol: 9, tsoffset: 1000n },
  { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth2', tsresol: POW2_20 },
  { type: 'idb', linkType: 1, snaplen: 65535, description: 'no name, 2^-20 s, 5 s early', tsresol: POW2_20, tsoffset: -5n },
  { type: 'idb', linkType: 113, snaplen: 0 }, // no options: µs, unlimited snaplen
  { type: 'epb', iface: 0, ts: S * 1_000_000n + 123_456n, data: a[0], comment: ['first comment', 'second comment'] },
  { type: 'epb', iface: 1, ts: S * 1_000_000_000n + 123_456_789n, data: a[1], comment: 'only comment' },
  { type: 'epb', iface: 2, ts: (S << 20n) + 1n, data: a[2] },
  { type: 'epb', iface: 2, ts: (S << 20n) + (1n << 20n) - 1n, data: a[3] },
  { type: 'epb', iface: 3, ts: (S << 20n) + (1n << 19n), data: a[4], origLen: 1514 },
  { type: 'epb', iface: 3, ts: 3n << 19n, data: b[0] }, // 1.5 s - 5 s: before 1970
  { type: 'spb', data: b[1] },
  { type: 'pb', iface: 1, ts: S * 1_000_000_000n + 5n, data: b[2] },
  { type: 'isb', iface: 0 },
  { type: 'nrb' },
  { type: 'dsb' },
  { type: 'custom' },
  { type: 'unknown', code: 0x12345 },
  { type: 'epb', iface: 4, ts: S * 1_000_000n, data: f.linuxSll({ pktType: 0, haType: 1, addr: MAC_A, protocol: 0x0800, payload: tcp4(77) }) },
  { type: 'epb', iface: 0, ts: S * 1_000_000n + 999_999n, data: b[3], comment: 'ünïcödé ✓' },
];
const secondSection: Block[] = [
  // Interface 0 again, but of this section: snaplen 40, so its SPB holds 40 bytes of 54.
  { type: 'idb', linkType: 1, snaplen: 40, name: 'be0', tsresol: 9 },
  { type: 'idb', linkType: 1, snaplen: 65535, name: 'be1', description: 'big-endian section', tsresol: POW2_20, tsoffset: 86400n },
  { type: 'epb', iface: 0, ts: S * 1_000_000_000n + 999_999_999n, data: c[0].subarray(0, 40), origLen: c[0].length, comment: 'big endian' },
  { type: 'spb', data: c[1].subarray(0, 40), origLen: c[1].length },
  { type: 'epb', iface: 1, ts: (S << 20n) + 12345n, data: c[2], comment: ['x', 'y'] },
  { type: 'nrb' },
  { type: 'epb', iface: 1, ts: ((S + 1n) << 20n) + 777n, data: c[3] },
];
const thirdSection: Block[] = [
  { type: 'idb', linkType: 1, snaplen: 0, name: 'le-again', tsresol: 6 },
  ...d.map((data, i): Block => ({ type: 'epb', iface: 0, ts: S * 1_000_000n + BigInt(i), data })),
];
const sections = pcapngFixture('sections.pcapng', [
  { endian: 'le', comment: 'little', blocks: firstSection },
  { endian: 'be', comment: 'big', blocks: secondSection },
  { endian: 'le', blocks: thirdSection },
]);

const fixtures: Fixture[] = [...pcapVariants, ...linkTypeFixtures, oddRecords, oddPcapng, sections, gzipped(pcapVariants[0]), gzipped(sections)];

// ---- checks --------------------------------------------------------------------

function save(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** tshark's frame.time_epoch per packet; pcapng custom blocks, which tshark lists as frames of no interface, left out. */
async function tsharkTimes(file: string, fx: Fixture): Promise<string[]> {
  const { rows, status, stderr } = await tsharkFields(file, ['frame.time_epoch', 'frame.interface_id', 'frame.cap_len', 'frame.len']);
  assert.equal(status, 0, stderr);
  const packets = fx.name.includes('.pcapng') ? rows.filter((r) => r[1] !== '') : rows;
  // The fixture is what we think it is: tshark sees the same packets and lengths.
  assert.deepEqual(
    packets.map((r) => [r[2], r[3]]),
    fx.packets.map((p) => [String(p.data.length), String(p.origLen)]),
    'tshark reads the lengths the input describes',
  );
  return packets.map((r) => r[0]);
}

/**
 * The seconds and nanoseconds fields of a time as tshark prints it: the two fields joined by
 * a dot, so a time before 1970 does not read as its value (-3.5 s, seconds -4 and 5e8 ns, is
 * printed "-4.500000000"; epochText prints "-3.500000000").
 */
function tsharkTimeFields(text: string): [number, number] {
  const [sec, ns] = text.split('.');
  return [Number(sec), Number(ns)];
}

async function check(t: TestContext, fx: Fixture, file: string, times: string[]): Promise<void> {
  const gz = fx.name.endsWith('.gz');
  const plain = gz ? new Uint8Array(gunzipSync(fx.bytes)) : fx.bytes;
  const counts = new Set<number>();
  for (const chunkBytes of CHUNK_SIZES) {
    for (const kind of ['memory', 'file'] as const) {
      await t.test(`${kind}, ${chunkBytes}-byte chunks`, async () => {
        const source: ByteSource = kind === 'memory' ? bytesSource(fx.bytes, fx.name) : await nodeFileSource(file);
        const copy: Uint8Array[] = [];
        const { capture, read } = await ingest(source, { chunkBytes, onDecompressed: (chunk) => copy.push(chunk.slice()) }).finally(() => source.close?.());
        const { store } = capture;
        counts.add(store.length);
        assert.deepEqual(
          { format: read.format, compressed: read.compressed, damage: read.damage, cancelled: read.cancelled },
          { format: fx.name.includes('.pcapng') ? 'pcapng' : 'pcap', compressed: gz, damage: undefined, cancelled: false },
        );
        if (gz) assert.deepEqual(f.concat(...copy), plain, 'the decompressed copy is the whole decompressed file');
        assert.deepEqual(
          capture.interfaces.map((i) => ({
            linkType: i.linkType,
            snaplenBytes: i.snaplenBytes,
            name: i.name,
            description: i.description,
            resolution: i.resolution,
          })),
          fx.interfaces,
        );
        assert.deepEqual(
          capture.warnings.map((w) => w.code),
          fx.warnings,
        );
        if (fx.warnings.includes('opaque-link-type')) assert.match(capture.warnings[0].message, new RegExp(`\\b${fx.interfaces[0].linkType}\\b`));
        assert.equal(store.length, fx.packets.length, 'packet count');
        fx.packets.forEach((p, i) => {
          const where = `packet ${i + 1}`;
          const time = p.untimed ? '0.000000000' : times[i];
          assert.deepEqual([store.sec(i), store.tsNs[i]], tsharkTimeFields(time), `${where} time`);
          if (!time.startsWith('-')) assert.equal(epochText(store.sec(i), store.tsNs[i]), time, `${where} time text`);
          assert.equal(store.capLen[i], p.data.length, `${where} captured length`);
          assert.equal(store.origLen[i], p.origLen, `${where} original length`);
          assert.equal(store.iface[i], p.iface, `${where} interface`);
          assert.deepEqual(plain.subarray(store.offset[i], store.offset[i] + store.capLen[i]), p.data, `${where} bytes`);
          assert.deepEqual(capture.comments.get(i) ?? [], p.comments, `${where} comments`);
        });
      });
    }
  }
  assert.equal(counts.size, 1, 'the same packet count at every chunk size');
}

for (const fx of fixtures) {
  test(fx.name, async (t) => {
    const file = save(fx.name, fx.bytes);
    await check(t, fx, file, await tsharkTimes(file, fx));
  });
}

test('a truncated .gz: damage reported, a prefix of the packets kept', async (t) => {
  const records = Array.from({ length: 400 }, (_, i) => ({ tsSec: T0 + i, tsFrac: i, data: ethFrames(i % 200)[i % 5] }));
  const full = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
  const gz = gzipBytes(full);
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  const tshark = await tsharkFields(save('cut.pcap.gz', cut), ['frame.time_epoch']);
  assert.notEqual(tshark.status, 0, 'tshark, too, finds the file cut short');
  for (const chunkBytes of CHUNK_SIZES) {
    await t.test(`${chunkBytes}-byte chunks`, async () => {
      const copy: Uint8Array[] = [];
      const { capture, read } = await ingest(bytesSource(cut, 'cut.pcap.gz'), { chunkBytes, onDecompressed: (chunk) => copy.push(chunk.slice()) });
      const { store } = capture;
      assert.equal(read.compressed, true);
      assert.ok(read.damage, 'damage reported');
      assert.deepEqual(
        capture.warnings.map((w) => w.code),
        ['damaged'],
      );
      assert.ok(store.length > 0 && store.length < records.length, `a strict prefix (${store.length} of ${records.length})`);
      // Node's DecompressionStream loses the output zlib still holds when the input ends early
      // (a few KB): every packet before the last 64 KiB of what inflates must be there.
      const decompressed = new Uint8Array(gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH })); // as much as inflates
      assert.ok(store.length <= tshark.rows.length, `no more packets than tshark reads (${store.length} vs ${tshark.rows.length})`);
      const firstMissingOffset = store.length === 0 ? 0 : store.offset[store.length - 1] + store.capLen[store.length - 1];
      assert.ok(
        decompressed.length - firstMissingOffset <= 65536,
        `packets lost only in the last 64 KiB (read up to ${firstMissingOffset} of ${decompressed.length})`,
      );
      for (let i = 0; i < store.length; i++) {
        assert.equal(epochText(store.sec(i), store.tsNs[i]), tshark.rows[i][0], `packet ${i + 1} time`);
        assert.deepEqual(decompressed.subarray(store.offset[i], store.offset[i] + store.capLen[i]), records[i].data, `packet ${i + 1} bytes`);
      }
      // The app re-reads packets of a .gz from this copy.
      const kept = f.concat(...copy);
      const end = store.offset[store.length - 1] + store.capLen[store.length - 1];
      assert.ok(kept.length >= end, `the decompressed copy (${kept.length} bytes) holds every packet read (up to byte ${end})`);
      assert.deepEqual(kept, decompressed.subarray(0, kept.length));
    });
  }
});

test('if_tsresol finer than 1 ns: times truncated to the ns, exactly', async (t) => {
  // tshark 4.0 computes (units % unitsPerSec) * 1e9 in 64 bits, which overflows beyond about
  // 1.8e10 units per second: here the expected times are computed from the input, in BigInt.
  const MAX = (1n << 64n) - 1n;
  const resolutions = [12, 16, 19, 0x80 | 40, 0x80 | 53, 0x80 | 54, 0x80 | 60, 0x80 | 63];
  const perSecond = (tsresol: number) => (tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol));
  /** Timestamps at the edges: whole seconds, the unit just below a nanosecond boundary, the largest. */
  const edges = (ups: bigint) => {
    const belowNs = (sec: bigint, ns: bigint) => sec * ups + (ns * ups + 999_999_999n) / 1_000_000_000n - 1n;
    const lastSec = MAX / ups - 1n;
    return [0n, 1n, ups - 1n, ups, belowNs(1n, 1n), belowNs(1n, 500_000_000n), belowNs(lastSec, 999_999_999n), belowNs(lastSec, 123_456_789n), MAX].filter(
      (ts) => ts >= 0n && ts <= MAX,
    );
  };
  const blocks: Block[] = [
    ...resolutions.map((tsresol): Block => ({ type: 'idb', linkType: 1, snaplen: 0, name: `res${tsresol}`, tsresol })),
    ...resolutions.flatMap((tsresol, iface) => edges(perSecond(tsresol)).map((ts, i): Block => ({ type: 'epb', iface, ts, data: eth(udp4(i)) }))),
  ];
  const expected = resolutions.flatMap((tsresol) => {
    const ups = perSecond(tsresol);
    return edges(ups).map((ts) => [ts / ups, ((ts % ups) * 1_000_000_000n) / ups]);
  });
  const bytes = writePcapng({ sections: [{ endian: 'le', blocks }] });
  for (const chunkBytes of [64, 8 << 20]) {
    const { capture, read } = await ingest(bytesSource(bytes), { chunkBytes });
    assert.equal(read.damage, undefined);
    const { store } = capture;
    const got = Array.from({ length: store.length }, (_, i) => [BigInt(store.sec(i)), BigInt(store.tsNs[i])]);
    const wrong = got.flatMap((g, i) =>
      g[0] === expected[i][0] && g[1] === expected[i][1]
        ? []
        : [`packet ${i + 1} (if_tsresol 0x${resolutions[store.iface[i]].toString(16)}): ${g.join(' s ')} ns, expected ${expected[i].join(' s ')} ns`],
    );
    assert.equal(got.length, expected.length);
    t.diagnostic(`${chunkBytes}-byte chunks: ${expected.length} timestamps`);
    assert.deepEqual(wrong, []);
  }
});

test('pcap and pcapng versions: read where tcpdump and capinfos read, refused where both refuse', async (t) => {
  const records = [0, 1, 2].map((i) => ({ tsSec: T0 + i, tsFrac: 0, data: eth(tcp4(i)) }));
  const files = [
    ...[
      [2, 4],
      [2, 3],
      [2, 2],
      [2, 0],
      [2, 5],
      [3, 0],
      [1, 4],
      [543, 0],
    ].map(([versionMajor, versionMinor]) => ({
      name: `version-${versionMajor}.${versionMinor}.pcap`,
      bytes: writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, versionMajor, versionMinor, records }),
    })),
    ...[
      [1, 0],
      [1, 2],
      [1, 1],
      [2, 0],
      [0, 1],
    ].map(([versionMajor, versionMinor]) => ({
      name: `version-${versionMajor}.${versionMinor}.pcapng`,
      bytes: writePcapng({
        sections: [
          {
            endian: 'le',
            versionMajor,
            versionMinor,
            blocks: [{ type: 'idb', linkType: 1, snaplen: 0 }, ...records.map((r): Block => ({ type: 'epb', iface: 0, ts: BigInt(r.tsSec), data: r.data }))],
          },
        ],
      }),
    })),
  ].map((fx) => ({ ...fx, file: save(fx.name, fx.bytes) }));
  const capinfos = await capinfosCounts(files.map((fx) => fx.file));
  const disagreements: string[] = [];
  for (const fx of files) {
    const tcpdump = await tcpdumpFrames(fx.file);
    const byCapinfos = capinfos.get(fx.file);
    const byTcpdump = tcpdump.status === 0 ? tcpdump.frames.length : undefined;
    const ours = await ingest(bytesSource(fx.bytes)).then(
      ({ capture }) => capture.store.length,
      (error) => {
        assert.ok(error instanceof NotACapture, String(error));
        return undefined;
      },
    );
    t.diagnostic(`${fx.name}: capinfos ${byCapinfos ?? 'refuses'}, tcpdump ${byTcpdump ?? 'refuses'}, we ${ours ?? 'refuse'}`);
    if (byCapinfos === byTcpdump && ours !== byCapinfos) {
      disagreements.push(
        `${fx.name}: both tools ${byCapinfos === undefined ? 'refuse it' : `read ${byCapinfos} packets`}, we ${ours === undefined ? 'refuse it' : `read ${ours}`}`,
      );
    }
  }
  assert.deepEqual(disagreements, []);
});
