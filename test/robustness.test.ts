/**
 * Broken input: every truncation of a small capture, thousands of seeded random mutations,
 * and tcpdump's own test corpus (fuzzer crashers included). Ingest runs in a worker
 * (support/isolated-ingest.ts), so a reader that hangs fails instead of stalling the run.
 * Nothing but NotACapture may escape, every ingest must be quick, and what was read before
 * the damage must be exactly what an intact file gives.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { gzipBytes } from '../kit/gzip.ts';
import { writePcap, type PcapRecord } from '../kit/pcap-writer.ts';
import { writePcapng, type Block, type Section } from '../kit/pcapng-writer.ts';
import * as f from '../kit/frames.ts';
import { SeededRandom } from '../kit/random.ts';
import { IsolatedIngest, type IngestOutcome, type Packets } from './support/isolated-ingest.ts';
import { capinfosCounts, sharedCapturesDir, tcpdumpFrames } from './support/oracle.ts';

const WATCHDOG_MS = 10_000; // an ingest still running after this is taken to hang
const SMALL_FILE_MS = 200; // bound on one ingest of a file of a few KB
const CHUNKS = [64, 1000, 8 << 20];

const isolated = new IsolatedIngest();
after(() => isolated.close());

// ---- a small real-looking capture, as pcap and as pcapng --------------------------

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';
const eth = (payload: Uint8Array, etherType = 0x0800, vlans?: f.Vlan[]) => f.ethernet({ dst: MAC_B, src: MAC_A, vlans, etherType, payload });
const tcp = (src: string, dst: string, sport: number, dport: number, flags: string, seq: number, data = '') =>
  eth(f.ipv4({ src, dst, proto: 6, payload: f.tcp({ sport, dport, seq, ack: seq ? 1 : 0, flags, window: 64240, payload: f.ascii(data) }) }));
const udp = (src: string, dst: string, sport: number, dport: number, data: string) =>
  eth(f.ipv4({ src, dst, proto: 17, payload: f.udp({ sport, dport, payload: f.ascii(data) }) }));

const FRAMES: Uint8Array[] = [
  f.ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: MAC_A,
    etherType: 0x0806,
    payload: f.arp({ op: 1, senderMac: MAC_A, senderIp: '192.0.2.1', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.254' }),
  }),
  f.ethernet({
    dst: MAC_A,
    src: MAC_B,
    etherType: 0x0806,
    payload: f.arp({ op: 2, senderMac: MAC_B, senderIp: '192.0.2.254', targetMac: MAC_A, targetIp: '192.0.2.1' }),
  }),
  udp('192.0.2.1', '192.0.2.53', 53124, 53, 'query example.test A'),
  udp('192.0.2.53', '192.0.2.1', 53, 53124, 'answer example.test A 198.51.100.80'),
  tcp('192.0.2.1', '198.51.100.80', 40000, 80, 'S', 0),
  tcp('198.51.100.80', '192.0.2.1', 80, 40000, 'SA', 0),
  tcp('192.0.2.1', '198.51.100.80', 40000, 80, 'A', 1),
  tcp('192.0.2.1', '198.51.100.80', 40000, 80, 'PA', 1, 'GET / HTTP/1.1\r\nHost: example.test\r\n\r\n'),
  tcp('198.51.100.80', '192.0.2.1', 80, 40000, 'PA', 1, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'),
  eth(f.ipv4({ src: '192.0.2.1', dst: '198.51.100.1', proto: 1, payload: f.icmp({ type: 8, code: 0, id: 1, seq: 1, payload: f.ascii('ping') }) })),
  eth(f.ipv4({ src: '198.51.100.1', dst: '192.0.2.1', proto: 1, payload: f.icmp({ type: 0, code: 0, id: 1, seq: 1, payload: f.ascii('ping') }) })),
  eth(f.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 58, payload: f.icmpv6({ type: 128, code: 0, id: 2, seq: 1 }) }), 0x86dd),
  eth(f.ipv6({ src: '2001:db8::2', dst: '2001:db8::1', nextHeader: 58, payload: f.icmpv6({ type: 129, code: 0, id: 2, seq: 1 }) }), 0x86dd),
  eth(
    f.ipv4({ src: '192.0.2.9', dst: '192.0.2.10', proto: 6, payload: f.tcp({ sport: 22, dport: 50000, seq: 9, ack: 9, flags: 'PA', window: 1000 }) }),
    0x0800,
    [{ tpid: 0x8100, id: 42 }],
  ),
  tcp('192.0.2.1', '198.51.100.80', 40000, 80, 'FA', 40),
  tcp('198.51.100.80', '192.0.2.1', 80, 40000, 'FA', 90),
  tcp('192.0.2.1', '198.51.100.80', 40000, 80, 'A', 41),
  udp('192.0.2.1', '192.0.2.123', 123, 123, 'ntp'),
  udp('192.0.2.1', '192.0.2.255', 137, 137, 'netbios name query'),
  tcp('192.0.2.1', '198.51.100.80', 40001, 443, 'S', 0),
];

const T0 = 1_700_000_000;
const records: PcapRecord[] = FRAMES.map((data, i) => ({ tsSec: T0 + Math.floor(i / 3), tsFrac: (i * 137_911) % 1_000_000, data }));
records[8] = { ...records[8], data: records[8].data.subarray(0, 60), origLen: records[8].data.length }; // snapped

const sections: Section[] = [
  {
    endian: 'le',
    comment: 'captured by a test',
    blocks: [
      { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth0', tsresol: 9 },
      ...FRAMES.slice(0, 8).map(
        (data, i): Block => ({
          type: 'epb',
          iface: 0,
          ts: BigInt(T0 + i) * 1_000_000_000n + BigInt(i * 7919),
          data,
          comment: i % 3 === 0 ? `packet ${i}` : undefined,
        }),
      ),
      { type: 'nrb' },
      { type: 'idb', linkType: 1, snaplen: 128, name: 'eth1', description: 'a second interface', tsresol: 0x80 | 20 },
      { type: 'epb', iface: 1, ts: (BigInt(T0 + 9) << 20n) + 12345n, data: FRAMES[8], comment: ['two', 'comments'] },
      { type: 'spb', data: FRAMES[9] },
      { type: 'pb', iface: 1, ts: BigInt(T0 + 10) << 20n, data: FRAMES[10] },
      ...FRAMES.slice(11, 15).map(
        (data, i): Block => ({ type: 'epb', iface: i % 2, ts: i % 2 ? BigInt(T0 + 11 + i) << 20n : BigInt(T0 + 11 + i) * 1_000_000_000n, data }),
      ),
      { type: 'isb', iface: 0 },
      { type: 'custom' },
    ],
  },
  {
    endian: 'be',
    blocks: [
      { type: 'idb', linkType: 1, snaplen: 0, name: 'be0', tsresol: 6, tsoffset: -3600n },
      ...FRAMES.slice(15).map((data, i): Block => ({ type: 'epb', iface: 0, ts: BigInt(T0 + 15 + i) * 1_000_000n, data })),
    ],
  },
];

interface Layout {
  name: string;
  bytes: Uint8Array;
  /** End of the file header (pcap) or of the first section header block (pcapng). */
  headerEnd: number;
  /** Where each record or block ends, in file order, header included. */
  unitEnds: number[];
  /** Where the record or block of each packet ends. */
  packetEnds: number[];
  compressed?: boolean;
}

function pcapLayout(): Layout {
  const bytes = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
  const unitEnds = [24];
  for (const r of records) unitEnds.push(unitEnds[unitEnds.length - 1] + 16 + r.data.length);
  return { name: 'mixed.pcap', bytes, headerEnd: 24, unitEnds, packetEnds: unitEnds.slice(1) };
}

/** Block boundaries found by writing ever longer prefixes of the file. */
function pcapngLayout(): Layout {
  const unitEnds: number[] = [];
  const packetEnds: number[] = [];
  sections.forEach((section, s) => {
    for (let n = 0; n <= section.blocks.length; n++) {
      const end = writePcapng({ sections: [...sections.slice(0, s), { ...section, blocks: section.blocks.slice(0, n) }] }).length;
      unitEnds.push(end);
      if (n > 0 && ['epb', 'spb', 'pb'].includes(section.blocks[n - 1].type)) packetEnds.push(end);
    }
  });
  return { name: 'mixed.pcapng', bytes: writePcapng({ sections }), headerEnd: unitEnds[0], unitEnds, packetEnds };
}

/** The pcap, gzipped: where compressed bytes end up is not known, so no header or record ends. */
function gzipLayout(plain: Layout): Layout {
  return { name: `${plain.name}.gz`, bytes: gzipBytes(plain.bytes), headerEnd: Infinity, unitEnds: [], packetEnds: [], compressed: true };
}

const layouts = [pcapLayout(), pcapngLayout()];
const gzLayout = gzipLayout(layouts[0]);

// ---- comparisons -------------------------------------------------------------------

/** The first `count` packets, every column, comments included. */
function firstPackets(p: Packets, count: number): Packets {
  const cut = <T>(column: T[]) => column.slice(0, count);
  return {
    sec: cut(p.sec),
    ns: cut(p.ns),
    capLen: cut(p.capLen),
    origLen: cut(p.origLen),
    iface: cut(p.iface),
    offset: cut(p.offset),
    comments: p.comments.filter(([row]) => row < count),
  };
}

/** Every packet read lies inside the file and has a valid time and interface. */
function insanity(o: IngestOutcome, sizeBytes: number): string | null {
  const p = o.packets;
  for (let i = 0; i < p.sec.length; i++) {
    if (!(p.offset[i] >= 0 && p.offset[i] + p.capLen[i] <= sizeBytes))
      return `packet ${i + 1}: bytes ${p.offset[i]}+${p.capLen[i]} outside the ${sizeBytes}-byte file`;
    if (!Number.isInteger(p.sec[i]) || !(p.ns[i] >= 0 && p.ns[i] < 1e9)) return `packet ${i + 1}: time ${p.sec[i]} s ${p.ns[i]} ns`;
    if (!(p.iface[i] < o.interfaces)) return `packet ${i + 1}: interface ${p.iface[i]} of ${o.interfaces}`;
  }
  if (o.read?.damage && !o.warnings.some((w) => w.code === 'damaged' && w.offsetBytes === o.read!.damage!.offsetBytes))
    return 'damage without a damaged warning';
  return null;
}

/** Fails with the number of failures and the first ten. */
function assertNone(failures: string[]): void {
  assert.equal(failures.length, 0, `${failures.length} failures; the first ${Math.min(10, failures.length)}:\n${failures.slice(0, 10).join('\n')}`);
}

async function full(layout: Layout): Promise<IngestOutcome> {
  const outcome = await isolated.run({ bytes: layout.bytes }, WATCHDOG_MS);
  assert.equal(outcome.error, undefined);
  assert.equal(outcome.read?.damage, undefined);
  assert.deepEqual(outcome.warnings, []);
  assert.equal(outcome.packets.sec.length, layout.compressed ? records.length : layout.packetEnds.length, 'every packet of the intact file');
  return outcome;
}

// ---- (a) truncations -----------------------------------------------------------------

for (const layout of layouts) {
  test(`${layout.name}: cut at every byte (0..${layout.bytes.length}), at ${CHUNKS.join(', ')}-byte chunks`, async () => {
    const whole = await full(layout);
    const boundaries = new Set(layout.unitEnds);
    let ingests = 0;
    for (let cut = 0; cut <= layout.bytes.length; cut++) {
      for (const chunkBytes of CHUNKS) {
        const at = `cut at ${cut}, ${chunkBytes}-byte chunks`;
        const o = await isolated.run({ bytes: layout.bytes.subarray(0, cut), chunkBytes }, WATCHDOG_MS);
        ingests++;
        assert.ok(o.ms < SMALL_FILE_MS, `${at}: took ${o.ms.toFixed(1)} ms`);
        if (cut < layout.headerEnd) {
          assert.equal(o.error?.notACapture, true, `${at}: inside the header, expected NotACapture, got ${o.error?.text ?? `${o.packets.sec.length} packets`}`);
          continue;
        }
        assert.equal(o.error, undefined, `${at}: ${o.error?.text}`);
        const count = layout.packetEnds.filter((end) => end <= cut).length;
        // Same offsets into a prefix of the same bytes: the same packet bytes.
        assert.deepEqual(o.packets, firstPackets(whole.packets, count), `${at}: the first ${count} packets of the intact file`);
        if (boundaries.has(cut)) {
          assert.equal(o.read?.damage, undefined, `${at}: a cut between records is not damage`);
          assert.deepEqual(o.warnings, [], at);
        } else {
          const recordStart = Math.max(...layout.unitEnds.filter((end) => end < cut));
          assert.equal(o.read?.damage?.offsetBytes, recordStart, `${at}: damage at the start of the cut record`);
          assert.deepEqual(
            o.warnings.map((w) => [w.code, w.offsetBytes]),
            [['damaged', recordStart]],
            at,
          );
        }
      }
    }
    assert.equal(ingests, (layout.bytes.length + 1) * CHUNKS.length);
  });
}

test(`${gzLayout.name}: cut at every byte (0..${gzLayout.bytes.length})`, async () => {
  const whole = await full(gzLayout);
  const failures: string[] = [];
  for (let cut = 0; cut < gzLayout.bytes.length; cut++) {
    // Default chunks only: gzip at 64- or 1000-byte chunks fails on any file (see readers.test.ts).
    const o = await isolated.run({ bytes: gzLayout.bytes.subarray(0, cut) }, WATCHDOG_MS);
    const at = `cut at ${cut}`;
    if (o.ms >= SMALL_FILE_MS) failures.push(`${at}: took ${o.ms.toFixed(1)} ms`);
    if (o.error) {
      if (!o.error.notACapture) failures.push(`${at}: threw ${o.error.text.split('\n')[0]}`);
      continue;
    }
    const count = o.packets.sec.length;
    if (!o.read?.damage) failures.push(`${at}: no damage reported`);
    if (!isDeepStrictEqual(o.packets, firstPackets(whole.packets, count))) failures.push(`${at}: the ${count} packets are not the first of the intact file`);
  }
  assertNone(failures);
});

// capinfos reads every packet here; we do not: the browser's DecompressionStream drops the
// output of the input piece (1/256 of the file, at most 64 KB) that holds the junk. We require no exception, a
// damage report and a prefix of the packets, never more than capinfos reads.
test(`${gzLayout.name} with bytes after the gzip data: a prefix of the packets, then damage`, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gz-trailer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'trailing-garbage.pcap.gz');
  writeFileSync(file, f.concat(gzLayout.bytes, f.ascii('not gzip data')));
  const expected = (await capinfosCounts([file])).get(file);
  const o = await isolated.run({ path: file }, WATCHDOG_MS);
  assert.equal(o.error, undefined, o.error?.text);
  assert.ok(expected !== undefined && o.packets.sec.length > 0 && o.packets.sec.length <= expected, `${o.packets.sec.length} packets, capinfos ${expected}`);
  assert.ok(o.read?.damage, 'damage reported');
});

// ---- (b) random mutations -------------------------------------------------------------

const MUTANTS = 3000;

for (const [seed, layout] of [...layouts, gzLayout].entries()) {
  test(`${layout.name}: ${MUTANTS} seeded mutants of 1-8 bytes each`, async (t) => {
    const whole = await full(layout);
    // Seeded, so every run tries the same mutants.
    const rng = new SeededRandom(0x5eed + seed);
    const random = (n: number) => rng.int(n);
    const failures: string[] = [];
    let refused = 0;
    let damaged = 0;
    let read = 0;
    for (let k = 0; k < MUTANTS; k++) {
      const mutant = layout.bytes.slice();
      const changes: string[] = [];
      let first = Infinity;
      for (let n = 1 + random(8); n > 0; n--) {
        const at = random(mutant.length);
        const was = mutant[at];
        mutant[at] ^= 1 + random(255); // always a different value
        changes.push(`[${at}] ${was}->${mutant[at]}`);
        first = Math.min(first, at);
      }
      // gzip at small chunks fails on every file (see readers.test.ts): default chunks for it.
      const chunkBytes = layout.compressed ? undefined : CHUNKS[random(CHUNKS.length)];
      const what = `mutant ${k} (${changes.join(', ')}; ${chunkBytes ?? 'default'}-byte chunks)`;
      const o = await isolated.run({ bytes: mutant, chunkBytes }, WATCHDOG_MS);
      if (o.ms >= SMALL_FILE_MS) failures.push(`${what}: took ${o.ms.toFixed(1)} ms`);
      if (o.error) {
        if (o.error.notACapture) refused++;
        if (!o.error.notACapture) failures.push(`${what}: threw ${o.error.text.split('\n')[0]}`);
        else if (first >= layout.headerEnd) failures.push(`${what}: NotACapture with the header intact: ${o.error.text}`);
        continue;
      }
      if (o.read?.damage) damaged++;
      else read++;
      const problem = insanity(o, layout.compressed ? Infinity : mutant.length);
      if (problem) failures.push(`${what}: ${problem}`);
      // Records that end before the first changed byte are read as in the intact file.
      const intact = layout.packetEnds.filter((end) => end <= first).length;
      if (o.packets.sec.length < intact) failures.push(`${what}: ${o.packets.sec.length} packets, but the first ${intact} are intact`);
      else if (!isDeepStrictEqual(firstPackets(o.packets, intact), firstPackets(whole.packets, intact)))
        failures.push(`${what}: the ${intact} intact packets differ`);
    }
    t.diagnostic(`${refused} refused (NotACapture), ${damaged} read up to damage, ${read} read to the end, ${MUTANTS - refused - damaged - read} threw`);
    assertNone(failures);
    // The mutants did exercise the error paths.
    assert.ok(damaged > 0 && (refused > 0 || layout.compressed), `${refused} refused, ${damaged} damaged`);
  });
}

// ---- blocks too short for their own fixed fields ---------------------------------------

test('pcapng blocks too short for their fixed fields: damage where capinfos finds it', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'short-blocks-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const frame = FRAMES[4];
  const before = writePcapng({
    sections: [
      {
        endian: 'le',
        blocks: [
          { type: 'idb', linkType: 1, snaplen: 0 },
          { type: 'epb', iface: 0, ts: 1n, data: frame },
        ],
      },
    ],
  });
  const afterwards = writePcapng({ sections: [{ endian: 'le', blocks: [{ type: 'epb', iface: 0, ts: 2n, data: frame }] }] }).subarray(28); // without its SHB
  /** A block of `length` bytes: type, length, zeros, length. */
  const bare = (type: number, length: number) => {
    const b = new Uint8Array(length);
    const view = new DataView(b.buffer);
    view.setUint32(0, type, true);
    view.setUint32(4, length, true);
    view.setUint32(length - 4, length, true);
    return b;
  };
  // Fixed fields: IDB 8 bytes, SPB 4, EPB and PB 20; every block also has 12 of framing.
  const cases = [
    ...[12, 16].map((length) => ({ type: 1, length })),
    { type: 3, length: 12 },
    ...[12, 16, 20, 24, 28].flatMap((length) => [
      { type: 2, length },
      { type: 6, length },
    ]),
  ].map((c) => ({ ...c, file: path.join(dir, `block-${c.type}-of-${c.length}-bytes.pcapng`) }));
  for (const c of cases) writeFileSync(c.file, f.concat(before, bare(c.type, c.length), afterwards));
  const counts = await capinfosCounts(cases.map((c) => c.file));
  const failures: string[] = [];
  for (const c of cases) {
    const what = `block type ${c.type} of ${c.length} bytes`;
    const o = await isolated.run({ path: c.file }, WATCHDOG_MS);
    if (o.error) {
      failures.push(`${what}: threw ${o.error.text}`);
      continue;
    }
    const problem = insanity(o, before.length + c.length + afterwards.length);
    if (problem) failures.push(`${what}: ${problem}`);
    if (o.packets.sec.length !== counts.get(c.file)) failures.push(`${what}: ${o.packets.sec.length} packets, capinfos reads ${counts.get(c.file)}`);
    if (o.read?.damage?.offsetBytes !== before.length) failures.push(`${what}: damage ${JSON.stringify(o.read?.damage)}, expected at byte ${before.length}`);
  }
  assertNone(failures);
});

// ---- (c) tcpdump's test corpus -----------------------------------------------------

const shared = sharedCapturesDir();
const suiteDir = shared && path.join(shared, 'tcpdump-suite');
const suiteSkip = suiteDir && statSync(suiteDir, { throwIfNoEntry: false })?.isDirectory() ? false : '../shared/captures/tcpdump-suite not found: skipping';

/** Bound on one ingest: 100 ms, plus 100 ms per MB. */
const boundMs = (sizeBytes: number) => 100 + sizeBytes / 10_000;

test("tcpdump's test corpus: no crash, no hang, capinfos's packet count", { skip: suiteSkip }, async (t) => {
  const files = readdirSync(suiteDir!)
    .sort()
    .map((name) => path.join(suiteDir!, name));
  const counts = await capinfosCounts(files);
  const failures: string[] = [];
  let byTcpdump = 0;
  let refusedByAll = 0;
  for (const file of files) {
    const name = path.basename(file);
    let expected = counts.get(file);
    if (expected === undefined) {
      // capinfos refuses it (typically a link type Wireshark does not know): ask tcpdump.
      const { frames, status, stderr } = await tcpdumpFrames(file);
      const refused = status !== 0 && frames.length === 0 && !/pcap_loop|truncated/.test(stderr);
      expected = refused ? undefined : frames.length;
      if (refused) refusedByAll++;
      else byTcpdump++;
    }
    for (const chunkBytes of [4096, undefined]) {
      const what = `${name}${chunkBytes ? ` (${chunkBytes}-byte chunks)` : ''}`;
      const o = await isolated.run({ path: file, chunkBytes }, WATCHDOG_MS);
      const size = statSync(file).size;
      if (o.ms >= boundMs(size)) failures.push(`${what}: took ${o.ms.toFixed(1)} ms for ${size} bytes`);
      if (o.error && !o.error.notACapture) failures.push(`${what}: threw ${o.error.text.split('\n')[0]}`);
      else if (expected === undefined && !o.error) failures.push(`${what}: capinfos and tcpdump refuse it, we read ${o.packets.sec.length} packets`);
      else if (expected !== undefined && o.error) failures.push(`${what}: NotACapture (${o.error.text.split('\n')[0]}), but ${expected} packets expected`);
      else if (expected !== undefined && o.packets.sec.length !== expected)
        failures.push(`${what}: ${o.packets.sec.length} packets, expected ${expected}${o.read?.damage ? ` (we stopped: ${o.read.damage.reason})` : ''}`);
      const problem = o.error ? null : insanity(o, o.read?.compressed ? Infinity : size);
      if (problem) failures.push(`${what}: ${problem}`);
    }
  }
  t.diagnostic(`${files.length} files: ${counts.size} counted by capinfos, ${byTcpdump} by tcpdump, ${refusedByAll} refused by both`);
  assertNone(failures);
});
