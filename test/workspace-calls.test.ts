/**
 * The session's coarse calls against tshark and tcpdump: select() answers bytes, details and
 * seen-at from one read of the file (what five calls and three reads answered before);
 * closeCapture() closes one capture and leaves the others' ids, rows, counts and findings
 * right; cancel is the progress callback's answer, also as a promise (as through comlink);
 * progress carries the overview.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { packetDetails } from '../src/decode/details.ts';
import type { IngestProgress, ListRow } from '../src/session/contract.ts';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { arp, ethernet, ipv4, tcp } from '../kit/frames.ts';
import { requireTool, sharedCapturesDir, sharedSkipReason, tcpdumpFrames, tsharkFields } from './support/oracle.ts';

/** A File that counts the reads made of it. */
class CountedFile extends File {
  reads = 0;
  override slice(start?: number, end?: number, contentType?: string): Blob {
    this.reads++;
    return super.slice(start, end, contentType);
  }
}

const shared = (name: string) => path.join(sharedCapturesDir() ?? '', name);
const counted = (p: string) => new CountedFile([readFileSync(p)], path.basename(p));

/** tshark's bytes of frame n. */
function frameBytes(file: string, n: number): Buffer {
  const json = JSON.parse(
    execFileSync(requireTool('tshark'), ['-r', file, '-T', 'json', '-x', '-Y', `frame.number == ${n}`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString(),
  );
  return Buffer.from(json[0]._source.layers.frame_raw[0], 'hex');
}

const epochNs = (text: string) => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
};
const rowNs = (r: ListRow) => BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNs);

test('select answers the bytes tshark reads, and the details and seen-at of the single calls, from one read', { skip: sharedSkipReason }, async () => {
  const file = shared('HSRP_election.pcap');
  const [first, copy] = [counted(file), counted(file)];
  const workspace = new Workspace();
  await workspace.open([first, copy], () => {});
  const packets = (await tsharkFields(file, ['frame.number'])).rows.length;
  for (const index of [0, 13, 2 * packets - 1]) {
    first.reads = copy.reads = 0;
    const s = (await workspace.select(index, { ignoreAddresses: false }))!;
    const file0 = s.capture === 0 ? first : copy;
    assert.equal(file0.reads, 1, `row ${index}: one read of the selected packet's file`);
    const raw = frameBytes(file, s.frame);
    assert.deepEqual(Buffer.from(s.bytes), raw, `row ${index}: frame ${s.frame}'s bytes`);
    assert.deepEqual(s.details, packetDetails(raw, 0, raw.length, 1), `row ${index}: the layers of tshark's bytes`);
    assert.equal(s.capLen, s.bytes.length);
    assert.equal(s.title, `Frame ${s.frame}: ${s.capLen} bytes captured, ${s.origLen} on the wire`);
    // What the single calls answered (they read the file three times for it; they go once the page is off them).
    assert.equal(s.position, workspace.positionAt(index));
    assert.equal(s.timeSec, workspace.timeOf(s.position));
    const packet = await workspace.packetAt(s.position);
    assert.deepEqual(
      [packet.capture, packet.frame, packet.capLen, packet.origLen, Buffer.from(packet.bytes)],
      [s.capture, s.frame, s.capLen, s.origLen, Buffer.from(s.bytes)],
    );
    assert.deepEqual(s.details, await workspace.details(s.position));
    assert.deepEqual(s.seenAt, await workspace.seenAt(s.position, false));
    // The same file twice: each packet is seen in the other copy at the same time.
    assert.deepEqual(
      s.seenAt.map((x) => [x.capture, x.deltaSec]),
      [[1 - s.capture, 0]],
    );
  }
  // By position and by (capture, row), the row that shows it; beyond the list, nothing.
  const byRef = (await workspace.select({ capture: 1, row: 6 }))!;
  assert.deepEqual([byRef.capture, byRef.frame], [1, 7]);
  assert.deepEqual(Buffer.from(byRef.bytes), frameBytes(file, 7));
  assert.equal((await workspace.select({ position: byRef.position }))!.index, byRef.index);
  assert.equal(await workspace.select(2 * packets), null);
  assert.equal(await workspace.select({ capture: 2, row: 0 }), null);
});

/** a.pcap: five unanswered ARP requests (a finding) among TCP packets. */
function arpCapture(): Uint8Array {
  const records = [];
  for (let k = 0; k < 5; k++) {
    const request = arp({ op: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.99' });
    records.push({
      tsSec: 1_212_000_000 + 2 * k,
      tsFrac: 1000 + k,
      data: ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', etherType: 0x0806, payload: request }),
    });
    records.push({
      tsSec: 1_212_000_000 + 2 * k + 1,
      tsFrac: 0,
      data: ethernet({
        dst: '02:00:00:00:00:02',
        src: '02:00:00:00:00:01',
        etherType: 0x0800,
        payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcp({ sport: 1000, dport: 80, seq: k, ack: 0, flags: 'A', window: 100 }) }),
      }),
    });
  }
  return writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
}

test('closeCapture closes one capture: the others keep their ids, rows, counts, filter and findings', { skip: sharedSkipReason }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-close-'));
  const a = path.join(dir, 'a.pcap');
  writeFileSync(a, arpCapture());
  const [b, c] = [shared('HSRP_election.pcap'), shared('LACP.pcap')];
  const workspace = new Workspace();
  const opened = await workspace.open([counted(a), counted(b), counted(c)], () => {});
  assert.deepEqual(
    opened.map((o) => o.id),
    [0, 1, 2],
  );
  const findingKey = (f: { capture: number; kind: string; firstRow: number; start: { sec: number; ns: number } }) =>
    `${f.capture} ${f.kind} ${f.firstRow} ${f.start.sec}.${f.start.ns}`;
  const findingsBefore = (await workspace.findings()).map(findingKey);
  assert.ok(
    findingsBefore.some((k) => k.startsWith('0 arp-unanswered')),
    'a.pcap has its finding',
  );
  assert.ok(
    findingsBefore.some((k) => k.startsWith('2 ')),
    'LACP.pcap has findings',
  );
  await workspace.applyFilter('arp or tcp');

  const overview = await workspace.closeCapture(1);

  const oracle = new Map<number, string[][]>([
    [0, (await tsharkFields(a, ['frame.time_epoch'])).rows],
    [2, (await tsharkFields(c, ['frame.time_epoch'])).rows],
  ]);
  assert.equal(overview.packets, oracle.get(0)!.length + oracle.get(2)!.length);
  assert.equal(workspace.stats().packets, overview.packets);
  // The filter was applied again over what stays: the list holds tcpdump's count on each remaining file.
  const matching = (await tcpdumpFrames(a, 'arp or tcp')).frames.length + (await tcpdumpFrames(c, 'arp or tcp')).frames.length;
  assert.equal(workspace.indexRange(-Infinity, Infinity)[1], matching);
  await workspace.applyFilter('');
  // Every remaining packet once, under its own capture's id, at tshark's time.
  const rows = await workspace.listRows(0, overview.packets, 0);
  assert.equal(rows.length, overview.packets);
  for (const [id, times] of oracle) {
    const own = rows.filter((r) => r.capture === id);
    assert.deepEqual(
      own.map((r) => r.frame).sort((x, y) => x - y),
      times.map((_, i) => i + 1),
      `capture ${id}: every frame once`,
    );
    for (const r of own) assert.equal(rowNs(r), epochNs(times[r.frame - 1][0]), `capture ${id} frame ${r.frame}`);
  }
  // Findings: those of the captures that stay, each at its packet in the new order.
  const after = await workspace.findings();
  assert.deepEqual(after.map(findingKey).sort(), findingsBefore.filter((k) => !k.startsWith('1 ')).sort());
  for (const f of after) assert.deepEqual([rows[f.position].capture, rows[f.position].frame], [f.capture, f.firstRow + 1], findingKey(f));
  const lanes = await workspace.overlays();
  assert.ok(lanes.some((l) => l.id.startsWith('a.pcap: arp')) && !lanes.some((l) => l.id.startsWith('HSRP_election.pcap')));
  // Ids: the closed one names nothing, the others still name their captures.
  assert.equal(await workspace.select({ capture: 1, row: 0 }), null);
  await assert.rejects(workspace.fingerprint(1), RangeError);
  assert.deepEqual(Buffer.from((await workspace.select({ capture: 2, row: 4 }))!.bytes), frameBytes(c, 5));
  assert.deepEqual(await workspace.setClockOffset(2, 1), [0, 0, 1]);

  // Closing the others: as new, and the next capture is 0 again.
  await workspace.closeCapture(0);
  assert.equal((await workspace.closeCapture(2)).packets, 0);
  assert.deepEqual(
    (await workspace.open([counted(b)], () => {})).map((o) => o.id),
    [0],
  );
  rmSync(dir, { recursive: true, force: true });
});

function bigCapture(): File {
  const records = Array.from({ length: 20000 }, (_, i) => ({
    tsSec: 1_512_479_565 + (i >> 10),
    tsFrac: i % 1000,
    data: ethernet({
      dst: '00:00:0c:9f:f0:01',
      src: '52:54:00:12:34:56',
      etherType: 0x0800,
      payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcp({ sport: 1000, dport: 2000, seq: i, ack: 0, flags: 'A', window: 100 }) }),
    }),
  }));
  return new File([writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }) as BlobPart], 'big.pcap');
}

test('cancel is the progress answer, also a promise of it; each report carries the overview; no close while reading', async () => {
  const workspace = new Workspace();
  const events: IngestProgress[] = [];
  let closing: Promise<string> | null = null;
  // As through comlink: the page's answer arrives as a promise, a little later.
  const [opened] = await workspace.open(
    [bigCapture(), bigCapture()],
    (p) => {
      events.push(p);
      closing ??= workspace.closeCapture(0).then(
        () => 'closed',
        (error: Error) => error.message,
      );
      return Promise.resolve().then(() => true);
    },
    4096,
  );
  assert.equal(opened.cancelled, true);
  assert.ok(opened.packets > 0 && opened.packets < 20000, `kept ${opened.packets}`);
  assert.match(String(await closing), /cannot be closed while files are being read/);
  // The second file was not opened: cancel stops the files after the one being read.
  assert.equal(workspace.stats().files.length, 1);
  for (const e of events) {
    assert.equal(e.overview.packets, e.packets, 'one file: the overview counts what was read');
    assert.equal(e.overview.reading, !e.done);
  }
  // The read's end is reported (the last report, cancelled or not), with the overview as it stands.
  assert.equal(events[events.length - 1].done, true);
  assert.deepEqual(workspace.overview(), events[events.length - 1].overview);
});
