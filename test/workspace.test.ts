/**
 * The Workspace is what the ingest worker exposes: the same object, here over Node's File.
 * Its answers (bins, rows, packet bytes) are checked against tshark; cancel keeps what was read.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IngestProgress } from '../src/session/contract.ts';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, tcp } from '../kit/frames.ts';
import { requireTool, sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

function fileOf(path: string): File {
  return new File([readFileSync(path)], path.split('/').pop()!);
}

test('rows, bins and packet bytes of a real capture agree with tshark', { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'HSRP_election.pcap');
  const workspace = new Workspace();
  const [opened] = await workspace.open([fileOf(path)], () => {});
  const oracle = await tsharkFields(path, ['frame.time_relative', 'ip.src', 'ip.dst', 'frame.len']);
  assert.equal(opened.packets, oracle.rows.length);

  const rows = await workspace.listRows(0, opened.packets, 0);
  assert.deepEqual(
    rows.map((r) => [r.source, r.destination, String(r.length)]),
    oracle.rows.map((r) => [r[1], r[2], r[3]]),
  );

  // Ten equal bins over the capture: counted independently from tshark's relative times.
  const { fromSec, toSec } = workspace.overview();
  const width = (toSec - fromSec) / 10;
  const expected = new Array(10).fill(0);
  for (const r of oracle.rows) expected[Math.min(9, Math.floor(Number(r[0]) / width))]++;
  const answer = workspace.timeline(fromSec, toSec + 1e-9, 10, 0);
  assert.deepEqual(Array.from(answer.total), expected);
  // One lane here (HSRP), holding every packet.
  assert.deepEqual(answer.lanes.length, 1);
  assert.deepEqual(Array.from(answer.laneCounts), expected);
  // Few enough packets in view: each one is a tick, in time order.
  const ticks = workspace.timeline(fromSec, toSec + 1e-9, 10, 1000).ticks!;
  assert.deepEqual(
    Array.from(ticks.time, (t) => t.toFixed(6)),
    oracle.rows.map((r) => (Number(r[0]) + fromSec).toFixed(6)),
  );

  const json = JSON.parse(
    execFileSync(requireTool('tshark'), ['-r', path, '-T', 'json', '-x', '-Y', 'frame.number == 7'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString(),
  );
  const raw = Buffer.from(json[0]._source.layers.frame_raw[0], 'hex');
  assert.deepEqual(Buffer.from(await workspace.packetBytes(opened.id, 6)), raw);
});

test('cancel keeps what was read, and progress comes early and often', async () => {
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
  const bytes = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
  const workspace = new Workspace();
  const events: IngestProgress[] = [];
  const file = new File([bytes as BlobPart], 'big.pcap');
  // The first report answers "stop": cancel is the progress callback's answer.
  const [opened] = await workspace.open(
    [file],
    (p) => {
      events.push(p);
      return events.length === 1;
    },
    4096,
  );
  assert.equal(opened.cancelled, true);
  assert.ok(opened.packets > 0 && opened.packets < records.length, `kept ${opened.packets} of ${records.length}`);
  assert.equal(events[0].fileName, 'big.pcap');
  // The packets kept are the file's first ones, in order.
  const rows = await workspace.listRows(0, opened.packets, 0);
  for (const [i, r] of rows.entries()) assert.equal(r.frame, i + 1);
  assert.equal(workspace.stats().packets, opened.packets);
});

test('a bad file among good ones is reported and the others open', async () => {
  const good = writePcap({ endian: 'be', resolution: 'ns', linkType: 1, snaplen: 65535, records: [{ tsSec: 1, tsFrac: 2, data: new Uint8Array(60) }] });
  const workspace = new Workspace();
  const results = await workspace.open([new File([new TextEncoder().encode('hello')], 'notes.txt'), new File([good as BlobPart], 'ok.pcap')], () => {});
  assert.match(results[0].error ?? '', /not a pcap, pcapng or gzip-compressed capture/);
  assert.equal(results[1].packets, 1);
  assert.equal(workspace.stats().packets, 1);
});

test('a pcapng with several interfaces gets a timeline lane per interface, its counts those of tshark', { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'many_interfaces-1.pcapng');
  const workspace = new Workspace();
  await workspace.open([fileOf(path)], () => {});
  const { fromSec, toSec } = workspace.overview();
  const bins = 50;
  const answer = workspace.timeline(fromSec, toSec + 1e-6, bins, 0);
  const { rows } = await tsharkFields(path, ['frame.interface_id', 'frame.interface_name']);
  const expected = new Map<string, number>();
  for (const [, name] of rows) expected.set(name, (expected.get(name) ?? 0) + 1);
  assert.ok(answer.captureCounts && answer.pointNames.length >= 2, `${answer.pointNames.length} lanes`);
  answer.pointNames.forEach((lane, i) => {
    const name = lane.split(' · ')[1];
    let n = 0;
    for (let b = 0; b < bins; b++) n += answer.captureCounts![i * bins + b];
    assert.equal(n, expected.get(name) ?? 0, `lane ${lane}`);
  });
});
