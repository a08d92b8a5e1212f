/**
 * Budgets on what one capture may cost, and index widths. A gzip bomb (a pcap header, then
 * zeros: 16-byte empty records) is generated through zlib in a stream, never written out
 * inflated; its reading stops at the budget as damage does, with the packets before it. The
 * expected counts follow from the bomb's layout: header, then one record per 16 bytes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createGzip } from 'node:zlib';
import { bytesSource } from '../src/capture/byte-source.ts';
import { readCapture } from '../src/capture/read-capture.ts';
import { Capture, ingest } from '../src/store/capture.ts';
import { MergedOrder } from '../src/store/merged-order.ts';
import { PacketStore } from '../src/store/packet-store.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { writePcapng, type Block } from '../kit/pcapng-writer.ts';
import { runCli } from './support/run-cli.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-budgets-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER_BYTES = 24;
const PCAP_HEADER = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records: [] });

/** gzip of a pcap header and zeroBytes of zeros, compressed as it is generated (a few KB per MB). */
async function gzipBomb(zeroBytes: number): Promise<Uint8Array> {
  const gzip = createGzip({ level: 1 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1 << 20);
  gzip.write(PCAP_HEADER);
  for (let left = zeroBytes; left > 0; left -= zeros.length) {
    if (!gzip.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return new Uint8Array(Buffer.concat(out));
}

const ZERO_BYTES = 64 << 20;
const bomb = gzipBomb(ZERO_BYTES);

test('a gzip bomb stops at the decompressed-bytes budget: the records before it stay, the reason names the budget', async () => {
  const maxDecompressedBytes = (3 << 20) + 8;
  const { capture, read } = await ingest(bytesSource(await bomb, 'bomb.pcap.gz'), { maxDecompressedBytes });
  const whole = Math.floor((maxDecompressedBytes - HEADER_BYTES) / 16);
  assert.equal(capture.store.length, whole, 'every whole record below the budget');
  assert.equal(read.damage?.budget, 'decompressed-bytes');
  assert.equal(read.damage?.offsetBytes, maxDecompressedBytes);
  assert.equal(
    capture.warnings.at(-1)?.message,
    `read ${whole} packets / ${maxDecompressedBytes} bytes, then stopped: the gzip data inflates past the budget (budget: ${maxDecompressedBytes} decompressed bytes)`,
  );
});

test('a gzip bomb stops at the packet budget, at the record after the last one kept', async () => {
  const maxPackets = 100_000;
  const { capture, read } = await ingest(bytesSource(await bomb, 'bomb.pcap.gz'), { maxPackets, chunkBytes: 1 << 20 });
  assert.equal(capture.store.length, maxPackets);
  assert.deepEqual(read.damage && { budget: read.damage.budget, offsetBytes: read.damage.offsetBytes }, {
    budget: 'packets',
    offsetBytes: HEADER_BYTES + 16 * maxPackets,
  });
  assert.match(
    capture.warnings.at(-1)!.message,
    /^read 100000 packets \/ 1600024 bytes, then stopped: the capture holds more packets than the budget allows \(budget: 100000 packets\)$/,
  );
});

test('within the default budgets the whole bomb is read', async () => {
  const started = performance.now();
  const { capture, read } = await ingest(bytesSource(await bomb, 'bomb.pcap.gz'), { forViewer: false });
  assert.equal(read.damage, undefined);
  assert.equal(capture.store.length, ZERO_BYTES / 16);
  assert.ok(performance.now() - started < 20_000, 'seconds, not minutes');
});

test('a plain capture has a packet budget too', async () => {
  const records = Array.from({ length: 50 }, (_, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data: new Uint8Array(60) }));
  const { capture, read } = await ingest(bytesSource(writePcap({ endian: 'be', resolution: 'ns', linkType: 1, snaplen: 65535, records }), 'small.pcap'), {
    maxPackets: 20,
  });
  assert.equal(capture.store.length, 20);
  assert.deepEqual([read.damage?.budget, read.damage?.offsetBytes], ['packets', HEADER_BYTES + 20 * (16 + 60)]);
});

test("the store's own limit (a failed allocation) stops reading as a budget does, never a RangeError", async () => {
  const records = Array.from({ length: 30 }, (_, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data: new Uint8Array(60) }));
  const capture = new (class extends Capture {
    packet(...args: Parameters<Capture['packet']>): void {
      if (this.store.length === 12) throw new RangeError('Array buffer allocation failed');
      super.packet(...args);
    }
  })('full.pcap', false);
  const read = await readCapture(bytesSource(writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }), 'full.pcap'), capture);
  assert.equal(capture.store.length, 12);
  assert.deepEqual([read.damage?.budget, read.damage?.offsetBytes], ['store', HEADER_BYTES + 12 * (16 + 60)]);
  assert.equal(
    capture.warnings.at(-1)?.message,
    `read 12 packets / ${HEADER_BYTES + 12 * 76} bytes, then stopped: the store could not grow past 12 packets (Array buffer allocation failed)`,
  );
});

test('other RangeErrors inside the reader are bugs and stay errors', async () => {
  const capture = new (class extends Capture {
    packet(): void {
      throw new RangeError('Offset is outside the bounds of the DataView');
    }
  })('bug.pcap', false);
  const bytes = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records: [{ tsSec: 1, tsFrac: 0, data: new Uint8Array(60) }] });
  await assert.rejects(readCapture(bytesSource(bytes, 'bug.pcap'), capture), /outside the bounds/);
});

test('the CLI refuses a budget hit in one line, exit 2, and says which flag raises it', async () => {
  const file = path.join(tmp, 'bomb.pcap.gz');
  writeFileSync(file, await bomb);
  const packets = await runCli(['stats', file, '--max-packets', '1000']);
  assert.deepEqual(
    [packets.status, packets.stderr],
    [
      2,
      `${file}: read 1000 packets / 16024 bytes, then stopped: the capture holds more packets than the budget allows (budget: 1000 packets); --max-packets N raises it\n`,
    ],
  );
  const bytes = await runCli(['count', file, '--filter', 'ether[12:2] = 0x0806', '--max-decompressed-bytes', '1000000']);
  assert.equal(bytes.status, 2);
  assert.match(
    bytes.stderr,
    /^[^\n]*: read 62498 packets \/ 1000000 bytes, then stopped: the gzip data inflates past the budget \(budget: 1000000 decompressed bytes\); --max-decompressed-bytes N raises it\n$/,
  );
  assert.equal(bytes.stdout, '');
  const bad = await runCli(['stats', file, '--max-packets', 'lots']);
  assert.deepEqual([bad.status, bad.stderr], [2, '--max-packets: expected a whole number >= 1, got "lots"\n']);
});

test('pcapng: the 65,537th interface is damage at its block; the packets before it keep their interfaces', async () => {
  const frame = new Uint8Array(60).fill(0xab);
  const blocks: Block[] = [
    { type: 'idb', linkType: 1, snaplen: 65535 },
    { type: 'epb', iface: 0, ts: 1n, data: frame },
  ];
  // Every interface but the first is raw IP (101): a 16-bit wrap would give interface 65536 the first's Ethernet.
  for (let i = 1; i < 70_000; i++) {
    blocks.push({ type: 'idb', linkType: 101, snaplen: 65535 });
    if (i === 65_535) blocks.push({ type: 'epb', iface: 65_535, ts: 2n, data: frame });
  }
  blocks.push({ type: 'epb', iface: 69_999, ts: 3n, data: frame });
  const bytes = writePcapng({ sections: [{ endian: 'le', blocks }] });
  const { capture, read } = await ingest(bytesSource(bytes, 'many.pcapng'), { forViewer: false });
  assert.equal(capture.interfaces.length, 65_536);
  assert.equal(capture.store.length, 2);
  assert.deepEqual([...capture.store.iface], [0, 65_535]);
  assert.deepEqual([capture.interfaces[0].linkType, capture.interfaces[65_535].linkType], [1, 101]);
  assert.equal(read.damage?.offsetBytes, blockOffset(bytes, 1, 65_537));
  assert.match(read.damage!.reason, /^more than 65,536 interfaces in one capture/);
});

/** Where the nth block of a type starts, by walking the blocks' lengths (a little-endian section). */
function blockOffset(bytes: Uint8Array, type: number, nth: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let seen = 0;
  for (let at = 0; at < bytes.length; at += view.getUint32(at + 4, true)) if (view.getUint32(at, true) === type && ++seen === nth) return at;
  return -1;
}

test('MergedOrder over 300 captures names captures past 255, as a slow merge does', () => {
  const captures = Array.from({ length: 300 }, (_, c) => {
    const store = new PacketStore();
    // Capture c has packets at seconds c % 7, c % 7 + 3 and 10: many ties, broken by capture then row.
    for (const sec of [c % 7, (c % 7) + 3, 10]) store.append(1_700_000_000 + sec, 0, 0, 60, 60, 0, 0, 0, 0);
    store.finish();
    return { store, offsetSec: 0 };
  });
  const order = new MergedOrder(captures);
  const expected = captures.flatMap(({ store }, c) => Array.from({ length: store.length }, (_, row) => ({ c, row, t: store.relSeconds(row) })));
  expected.sort((x, y) => x.t - y.t || x.c - y.c || x.row - y.row);
  assert.equal(order.length, expected.length);
  const got = Array.from({ length: order.length }, (_, p) => [order.captureAt(p), order.rowAt(p)]);
  assert.deepEqual(
    got,
    expected.map((e) => [e.c, e.row]),
  );
  assert.ok(got.some(([c]) => c >= 256));
});

test('MergedOrder refuses more than 65,536 captures with a RangeError that says so', () => {
  const empty = { store: new PacketStore(), offsetSec: 0 };
  assert.throws(() => new MergedOrder(new Array(65_537).fill(empty)), { name: 'RangeError', message: /65537 captures cannot be merged: at most 65536/ });
});
