/**
 * Differential test against an independent pcapng reader, the npm package pcap-ng-parser
 * (a Transform stream that emits each Enhanced Packet Block's interface id, raw timestamp
 * words and data). On every EPB both must agree: count, interface, timestamp (its 64-bit
 * count of if_tsresol units, against our seconds and ns, exactly in BigInt), bytes.
 *
 * What pcap-ng-parser cannot do, and how this test deals with it:
 *  - it reads every section in the first section's byte order: a later section in the
 *    other order stops it, and only the packets before it are compared (logged);
 *  - its option walker advances 8 bytes per byte of option length and throws on most IDBs
 *    with no options or short ones: the generated IDBs start with a long if_name, and a
 *    real file on which it throws is skipped, with its error;
 *  - it emits EPBs only: our rows from SPBs and PBs are left out;
 *  - its interface ids are per section, as in the file: ours are global, so its id is
 *    offset by the interfaces it announced before the current section.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Transform } from 'node:stream';
import { test } from 'node:test';
import { bytesSource } from '../src/capture/byte-source.ts';
import { NotACapture } from '../src/capture/packet-sink.ts';
import { ingest, type Capture } from '../src/store/capture.ts';
import { writePcapng, type Block, type Section } from '../kit/pcapng-writer.ts';
import * as f from '../kit/frames.ts';
import { capinfosCounts, sharedCapturesDir } from './support/oracle.ts';

const PcapNgParser = createRequire(import.meta.url)('pcap-ng-parser') as new () => Transform;

interface TheirPacket {
  interfaceId: number;
  timestampHigh: number;
  timestampLow: number;
  data: Buffer;
  /** Interfaces it had announced before the section of this packet began. */
  firstInterface: number;
}

interface TheirRead {
  packets: TheirPacket[];
  /** Bytes it was still holding at the end, unparsed, or undefined. */
  leftover?: Buffer;
}

/** Feeds the file to pcap-ng-parser in pieces of pieceBytes. */
async function theirRead(bytes: Uint8Array, pieceBytes: number): Promise<TheirRead> {
  const parser = new PcapNgParser();
  const packets: TheirPacket[] = [];
  let interfaces = 0;
  let firstInterface = 0;
  // Packets are recorded as they are pushed, so their order against the events is exact.
  parser.push = (packet: Omit<TheirPacket, 'firstInterface'> | null) => {
    if (packet) packets.push({ ...packet, firstInterface });
    return true;
  };
  parser.on('interface', () => interfaces++);
  // Its only sign of a new section: the event it emits for a block type it does not handle.
  parser.on(`Block type: ${0x0a0d0d0a}`, () => (firstInterface = interfaces));
  const finished = new Promise((resolve, reject) => {
    parser.on('close', resolve); // its _flush emits 'close'
    parser.on('error', reject);
  });
  finished.catch(() => {});
  for (let at = 0; at < bytes.length; at += pieceBytes) parser.write(Buffer.from(bytes.subarray(at, at + pieceBytes)));
  parser.end();
  await finished;
  return { packets, leftover: (parser as unknown as { carryData?: Buffer }).carryData };
}

/** Rows whose frame follows an EPB header: type 6 and a total length that its trailer repeats. */
function epbRows(capture: Capture, bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isEpb = (start: number) =>
    start >= 0 &&
    [true, false].some((le) => {
      if (view.getUint32(start, le) !== 6) return false;
      const length = view.getUint32(start + 4, le);
      return length >= 32 && start + length <= bytes.length && view.getUint32(start + length - 4, le) === length;
    });
  const rows: number[] = [];
  for (let i = 0; i < capture.store.length; i++) if (isEpb(capture.store.offset[i] - 28)) rows.push(i);
  return rows;
}

/** Units per second of an interface, from the if_tsresol it declared ('10^-6', '2^-20'). */
function unitsPerSecond(resolution: string): bigint {
  const m = /^(10|2)\^-(\d+)$/.exec(resolution);
  assert.ok(m, `resolution ${resolution}`);
  return BigInt(m[1]) ** BigInt(m[2]);
}

/**
 * Compares both readers on one file. `tsoffsets` are the if_tsoffset of each interface
 * (ours adds them; pcap-ng-parser does not read them).
 */
async function compare(
  t: { diagnostic(message: string): void; skip(message: string): void },
  bytes: Uint8Array,
  o: { pieceBytes: number; tsoffsets?: bigint[]; file?: string },
): Promise<number | undefined> {
  let theirs: TheirRead;
  try {
    theirs = await theirRead(bytes, o.pieceBytes);
  } catch (error) {
    t.skip(`pcap-ng-parser cannot read it: ${(error as Error).message}`);
    return;
  }
  let ours: Awaited<ReturnType<typeof ingest>>;
  try {
    ours = await ingest(bytesSource(bytes), { chunkBytes: 1000 });
  } catch (error) {
    assert.ok(error instanceof NotACapture, String(error));
    if (theirs.packets.length === 0) return 0;
    // It checks no block trailer: where it reads a file we refuse, capinfos must refuse it too.
    const refused = o.file !== undefined && !(await capinfosCounts([o.file])).has(o.file);
    assert.ok(refused, `we refuse it (${error.message}), pcap-ng-parser reads ${theirs.packets.length} packets`);
    t.skip(`pcap-ng-parser reads ${theirs.packets.length} packets of a file capinfos and we refuse (${error.message})`);
    return;
  }
  const { capture, read } = ours;
  const rows = epbRows(capture, bytes);
  let compared = theirs.packets.length;
  if (theirs.leftover) {
    assert.ok(rows.length >= theirs.packets.length, `pcap-ng-parser read ${theirs.packets.length} EPBs, we ${rows.length}`);
    const at =
      theirs.leftover.length >= 12 && theirs.leftover.readUInt32BE(0) === 0x0a0d0d0a
        ? `, at a ${theirs.leftover.readUInt32BE(8) === 0x1a2b3c4d ? 'big' : 'little'}-endian section header`
        : '';
    t.diagnostic(`pcap-ng-parser stopped ${theirs.leftover.length} bytes before the end${at}: comparing its ${compared} EPBs of our ${rows.length}`);
  } else if (read.damage) {
    compared = rows.length;
    assert.ok(
      theirs.packets.length >= rows.length,
      `we stopped (${read.damage.reason}) after ${rows.length} EPBs, pcap-ng-parser after ${theirs.packets.length}`,
    );
    t.diagnostic(`we stopped at byte ${read.damage.offsetBytes} (${read.damage.reason}): comparing our ${compared} EPBs of its ${theirs.packets.length}`);
  } else {
    assert.equal(rows.length, theirs.packets.length, 'EPB count');
  }
  const { store } = capture;
  for (let k = 0; k < compared; k++) {
    const their = theirs.packets[k];
    const row = rows[k];
    const where = `EPB ${k + 1} (frame ${row + 1})`;
    const iface = store.iface[row];
    assert.equal(iface, their.firstInterface + their.interfaceId, `${where} interface`);
    const perSec = unitsPerSecond(capture.interfaces[iface].resolution);
    const units = (BigInt(their.timestampHigh) << 32n) | BigInt(their.timestampLow);
    const expected = [units / perSec + (o.tsoffsets?.[iface] ?? 0n), ((units % perSec) * 1_000_000_000n) / perSec];
    assert.deepEqual([BigInt(store.sec(row)), BigInt(store.tsNs[row])], expected, `${where} time`);
    assert.deepEqual(bytes.subarray(store.offset[row], store.offset[row] + store.capLen[row]), new Uint8Array(their.data), `${where} bytes`);
  }
  return compared;
}

// ---- generated files --------------------------------------------------------------------

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';
/** Frames of varied lengths (60..~1500 bytes), so records straddle the pieces in every way. */
const frame = (n: number) =>
  f.ethernet({
    dst: MAC_B,
    src: MAC_A,
    etherType: 0x0800,
    payload: f.ipv4({
      src: `192.0.2.${n % 250}`,
      dst: '198.51.100.1',
      proto: 17,
      payload: f.udp({ sport: 1000 + n, dport: 53, payload: new Uint8Array((n * 97) % 1450).fill(n & 0xff) }),
    }),
  });

const T0 = 1_700_000_000n;
// if_name first and at least 8 bytes long: pcap-ng-parser's option walker then jumps past the block.
const idb = (name: string, o: Partial<Extract<Block, { type: 'idb' }>> = {}): Block => ({
  type: 'idb',
  linkType: 1,
  snaplen: 65535,
  name: `${name}-interface`,
  ...o,
});
const epb = (iface: number, ts: bigint, n: number, comment?: string | string[]): Block => ({ type: 'epb', iface, ts, data: frame(n), comment });

interface Generated {
  name: string;
  sections: Section[];
  tsoffsets?: bigint[];
  /** Our EPB count, from the input. */
  epbs: number;
}

const generated: Generated[] = [
  {
    name: 'one little-endian section, µs',
    sections: [
      {
        endian: 'le',
        blocks: [idb('eth0'), ...Array.from({ length: 40 }, (_, i) => epb(0, T0 * 1_000_000n + BigInt(i * 333_333), i, i % 7 ? undefined : `comment ${i}`))],
      },
    ],
    epbs: 40,
  },
  {
    name: 'one big-endian section: ns, 2^-20 s, if_tsoffset, other blocks in between',
    sections: [
      {
        endian: 'be',
        comment: 'big endian',
        blocks: [
          idb('ns', { tsresol: 9 }),
          idb('binary', { tsresol: 0x80 | 20, tsoffset: -7200n }),
          idb('micro', { description: 'µs again', tsoffset: 3600n }),
          epb(0, T0 * 1_000_000_000n + 999_999_999n, 1, ['a', 'b']),
          epb(1, (T0 << 20n) + 1n, 2),
          { type: 'spb', data: frame(3) },
          epb(2, T0 * 1_000_000n, 4),
          { type: 'pb', iface: 1, ts: T0 << 20n, data: frame(5) },
          { type: 'isb', iface: 0 },
          { type: 'nrb' },
          { type: 'dsb' },
          { type: 'custom' },
          { type: 'unknown', code: 0x12345 },
          ...Array.from({ length: 30 }, (_, i) => epb(i % 3, BigInt(i) << 33n, 10 + i)),
        ],
      },
    ],
    tsoffsets: [0n, -7200n, 3600n],
    epbs: 33,
  },
  {
    name: 'two little-endian sections: interface ids start again at 0',
    sections: [
      { endian: 'le', blocks: [idb('first0'), idb('first1', { tsresol: 9 }), epb(1, T0 * 1_000_000_000n, 1), epb(0, T0 * 1_000_000n, 2)] },
      { endian: 'le', blocks: [idb('second0', { tsresol: 9 }), epb(0, T0 * 1_000_000_000n + 5n, 3), epb(0, T0 * 1_000_000_000n + 6n, 4)] },
    ],
    epbs: 4,
  },
  {
    name: 'a little-endian section, then a big-endian one',
    sections: [
      { endian: 'le', blocks: [idb('little'), epb(0, T0 * 1_000_000n, 1), epb(0, T0 * 1_000_000n + 1n, 2)] },
      { endian: 'be', blocks: [idb('big'), epb(0, T0 * 1_000_000n + 2n, 3)] },
    ],
    epbs: 3,
  },
  {
    name: 'resolutions finer than a nanosecond',
    sections: [
      {
        endian: 'le',
        blocks: [
          idb('pico', { tsresol: 12 }),
          idb('ten-to-the-19', { tsresol: 19 }),
          idb('two-to-the-63', { tsresol: 0x80 | 63 }),
          epb(0, 12_345_678n * 10n ** 12n + 999_999_999_999n, 1),
          epb(1, 10n ** 19n - 1n, 2),
          epb(1, (1n << 64n) - 1n, 3),
          epb(2, (1n << 63n) - 1n, 4),
          epb(2, (1n << 64n) - 1n, 5),
        ],
      },
    ],
    epbs: 5,
  },
  {
    name: '300 packets of varied length',
    sections: [
      {
        endian: 'le',
        blocks: [idb('bulk', { tsresol: 9 }), ...Array.from({ length: 300 }, (_, i) => epb(0, T0 * 1_000_000_000n + BigInt(i) * 1_234_567n, i))],
      },
    ],
    epbs: 300,
  },
];

for (const g of generated) {
  test(`generated: ${g.name}`, async (t) => {
    const bytes = writePcapng({ sections: g.sections });
    const { capture } = await ingest(bytesSource(bytes));
    assert.equal(epbRows(capture, bytes).length, g.epbs, 'our EPB rows, as the input has them');
    // Pieces of 100 bytes make pcap-ng-parser carry blocks across writes.
    for (const pieceBytes of [100, 4096, bytes.length]) {
      const compared = await compare(t, bytes, { pieceBytes, tsoffsets: g.tsoffsets });
      assert.ok(compared !== undefined && compared > 0, 'compared some packets');
    }
  });
}

// ---- real files ---------------------------------------------------------------------------

const dir = sharedCapturesDir();
const real = dir
  ? readdirSync(dir)
      .filter((n) => n.endsWith('.pcapng'))
      .sort()
  : [];
for (const name of real.length ? real : ['(none)']) {
  test(`real: ${name}`, { skip: dir ? false : '../shared/captures not found: skipping real-capture comparisons' }, async (t) => {
    const file = path.join(dir!, name);
    const compared = await compare(t, new Uint8Array(readFileSync(file)), { pieceBytes: 4096, file });
    if (compared !== undefined) t.diagnostic(`${compared} EPBs compared`);
  });
}
