/**
 * The workspace under hostile and careless use: gzip captures re-read from their
 * decompressed bytes, the same file reopened after a Cancel, 100,000 marks placed in one
 * call, a 16 MB record shown a page at a time. Expected bytes come from the plain file
 * (tcpdump reads it: the test capture is checked against it), never from our own output.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Workspace } from '../src/session/workspace.ts';
import { gzipBytes } from '../kit/gzip.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, udp } from '../kit/frames.ts';
import { requireTool } from './support/oracle.ts';

const work = mkdtempSync(join(tmpdir(), 'pt-ws-hostile-'));

/** `count` UDP packets whose payload says their frame number, one per ms from a seeded second. */
function capture(count: number, seed = 7): { bytes: Uint8Array; frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  const records = Array.from({ length: count }, (_, i) => {
    const payload = new TextEncoder().encode(`frame ${i + 1} seed ${seed}`.padEnd(40 + ((i * seed) % 60), '.'));
    const data = ethernet({
      dst: '00:00:0c:9f:f0:01',
      src: '52:54:00:12:34:56',
      etherType: 0x0800,
      payload: ipv4({ src: '10.1.0.1', dst: `10.2.${seed & 0xff}.${1 + (i % 200)}`, proto: 17, payload: udp({ sport: 40000 + (i % 97), dport: 53, payload }) }),
    });
    frames.push(data);
    return { tsSec: 1_600_000_000 + seed + Math.floor(i / 1000), tsFrac: (i % 1000) * 1000, data };
  });
  return { bytes: writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 262144, records }), frames };
}

/** tcpdump's hex of one frame, as bytes: the independent reader of the plain file. */
function tcpdumpFrame(path: string, frame: number): Uint8Array {
  const out = execFileSync('tcpdump', ['-r', path, '-nn', '-xx', '-c', String(frame)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 28,
  });
  const last = out
    .trim()
    .split('\n')
    .reduce<string[][]>((packets, line) => {
      if (/^\s+0x[0-9a-f]+:/.test(line)) packets[packets.length - 1].push(line);
      else packets.push([]);
      return packets;
    }, [])
    .pop()!;
  const hex = last.map((l) => l.replace(/^\s+0x[0-9a-f]+:\s+/, '').replace(/\s+/g, '')).join('');
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

test('a gzip capture answers packet bytes and details from its decompressed bytes, as the plain file does', async () => {
  requireTool('tcpdump');
  const { bytes } = capture(3000);
  const plain = join(work, 'g.pcap');
  writeFileSync(plain, bytes);
  const workspace = new Workspace();
  const [opened] = await workspace.open([new File([gzipBytes(bytes) as BlobPart], 'g.pcap.gz')], () => {}, 16 * 1024);
  assert.equal(opened.format, 'pcap.gz');
  for (const frame of [1, 1234, 3000]) {
    const packet = (await workspace.select(frame - 1))!;
    assert.deepEqual(packet.bytes, tcpdumpFrame(plain, frame), `frame ${frame}`);
  }
  // A byte-offset filter reads bytes: the same count as tcpdump on the plain file.
  const expected = Number(execFileSync('sh', ['-c', `tcpdump -r ${plain} -nn 'udp[8:4] = 0x6672616d' 2>/dev/null | wc -l`], { encoding: 'utf8' }));
  assert.equal((await workspace.applyFilter('udp[8:4] = 0x6672616d'))?.matched, expected);
});

test('the same file opened again after a Cancel replaces its partial copy', async () => {
  const { bytes } = capture(20000, 3);
  const file = new File([bytes as BlobPart], 'big.pcap', { lastModified: 1_700_000_000_000 });
  const workspace = new Workspace();
  let reports = 0;
  const [partial] = await workspace.open([file], () => ++reports === 1, 4096);
  assert.ok(partial.cancelled && partial.packets < 20000, `cancelled after ${partial.packets}`);
  const [full] = await workspace.open([file], () => {});
  assert.equal(full.id, partial.id, 'in the place of the partial copy');
  assert.equal(full.replaced, true);
  assert.equal(full.packets, 20000);
  assert.equal(workspace.stats().packets, 20000, 'no duplicate packets');
  // Another file of the same name and size is not the same file: it is added beside it.
  const [other] = await workspace.open([new File([bytes as BlobPart], 'big.pcap', { lastModified: 1_800_000_000_000 })], () => {});
  assert.notEqual(other.id, full.id);
});

test('100,000 marks are placed in one call, in well under a second; marks beyond a capture say so', async () => {
  const { bytes } = capture(120_000, 5);
  const workspace = new Workspace();
  const [a] = await workspace.open([new File([bytes as BlobPart], 'a.pcap')], () => {});
  const [b] = await workspace.open([new File([capture(1000, 9).bytes as BlobPart], 'b.pcap')], () => {});
  const n = 100_000;
  const captures = new Uint32Array(n + 3);
  const rows = new Uint32Array(n + 3);
  for (let i = 0; i < n; i++) rows[i] = (i * 7919) % 120_000;
  [captures[n], rows[n]] = [a.id, 120_000];
  [captures[n + 1], rows[n + 1]] = [b.id, 999];
  [captures[n + 2], rows[n + 2]] = [99, 0];
  const started = performance.now();
  const { positions, timesSec } = workspace.placeRows(captures, rows);
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  assert.equal(positions[n], -1, 'frame 120,001 of a 120,000-packet capture');
  assert.equal(positions[n + 2], -1, 'a capture that is not open');
  assert.ok(positions[n + 1] >= 0 && Number.isNaN(timesSec[n]));
  // Each position names that packet back, and its time is the packet's.
  for (const i of [0, 1, 4242, n - 1, n + 1]) {
    const p = positions[i];
    const packet = (await workspace.select({ position: p }))!;
    assert.deepEqual([packet.position, packet.capture, packet.frame], [p, captures[i], rows[i] + 1]);
    assert.equal(timesSec[i], packet.timeSec);
  }
});

test('a 16 MB record is shown a page at a time: the head, then slices equal to the file', async () => {
  const big = new Uint8Array(16 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
  const records = [
    { tsSec: 1_600_000_000, tsFrac: 0, data: big },
    { tsSec: 1_600_000_001, tsFrac: 0, data: capture(1).frames[0] },
  ];
  // DLT_DBUS (231): libpcap allows records of up to 128 MiB for it.
  const bytes = writePcap({ endian: 'le', resolution: 'us', linkType: 231, snaplen: 128 * 1024 * 1024, records });
  const workspace = new Workspace();
  const [opened] = await workspace.open([new File([bytes as BlobPart], 'dbus.pcap')], () => {});
  assert.equal(opened.packets, 2, opened.damage?.reason);
  const head = (await workspace.select(0))!;
  assert.equal(head.capLen, big.length);
  assert.ok(head.bytes.length <= 1024 * 1024, `${head.bytes.length} bytes handed over at first`);
  assert.deepEqual(head.bytes, big.subarray(0, head.bytes.length));
  const page = await workspace.packetSlice(0, 5_000_000, 64 * 1024);
  assert.deepEqual(page, big.subarray(5_000_000, 5_000_000 + 64 * 1024));
  // A list row reads the record's head only, not 16 MB.
  const [row] = await workspace.listRows(0, 1, 0);
  assert.equal(row.length, big.length);
  const tail = await workspace.packetSlice(0, big.length - 10, 64 * 1024);
  assert.equal(tail.length, 10);
  // The details tree is of the head alone, and says so.
  assert.match(head.title, /^Frame 1: 16,777,216 bytes captured \(the first 1,048,576 decoded\), 16,777,216 on the wire$/);
});

test('4,096 captures open, each row naming its own (no 8-bit wrap); the 4,097th is refused in words', async () => {
  const { MAX_CAPTURES } = await import('../src/session/workspace.ts');
  const workspace = new Workspace();
  const files = Array.from({ length: MAX_CAPTURES + 1 }, (_, i) => new File([capture(1, i).bytes as BlobPart], `c${i}.pcap`));
  const opened = await workspace.open(files, () => {});
  assert.equal(workspace.stats().packets, MAX_CAPTURES);
  assert.match(opened[MAX_CAPTURES].error ?? '', /^4,096 captures are open already, the most one tab holds/);
  // Capture i's one packet is stamped second i: in time order, row k is capture k's packet, past 256 too.
  const rows = await workspace.listRows(0, MAX_CAPTURES, 0);
  for (const k of [0, 255, 256, 300, 4095]) assert.deepEqual([rows[k].capture, rows[k].tsSec, rows[k].frame], [k, 1_600_000_000 + k, 1]);
});
