/**
 * A clock offset moves everything the session places, at once and to the nanosecond: the
 * list's Time column, findings, overlay lane ticks, placed marks, seen-at, the origin,
 * conversations and exports; the other capture stays put. Times are checked against
 * tshark's frame.time_epoch of the files as written (and of the exports), never against
 * our own earlier answers alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Instant, ListRow, OverlayLane, PlacedFinding } from '../src/session/contract.ts';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap, type PcapRecord } from '../kit/pcap-writer.ts';
import { arp, ethernet, ipv4, udp } from '../kit/frames.ts';
import { tsharkFields } from './support/oracle.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-offsets-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = 1_700_000_000;
const HOUR_NS = 3600n * 1_000_000_000n;

const udpFrame = (src: string, dst: string, k: number) =>
  ethernet({
    dst: '02:00:00:00:00:02',
    src: '02:00:00:00:00:01',
    etherType: 0x0800,
    payload: ipv4({ src, dst, proto: 17, id: k, payload: udp({ sport: 4000 + k, dport: 53, payload: Uint8Array.of(k, k, k, k) }) }),
  });

/**
 * a.pcap: 10.0.0.1 asks for 10.0.0.99 five times, never answered (an arp-unanswered finding
 * and an ARP lane), among UDP packets to 10.0.0.2. b.pcap: other UDP packets, and a copy of
 * a.pcap's UDP packet 3 a quarter of a second after it (seen-at).
 */
function captures(): { a: string; b: string; copied: number } {
  const a: PcapRecord[] = [];
  for (let k = 0; k < 5; k++) {
    const request = arp({ op: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.99' });
    a.push({
      tsSec: T0 + 2 * k,
      tsFrac: 111_111_111 + k,
      data: ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', etherType: 0x0806, payload: request }),
    });
  }
  for (let k = 0; k < 10; k++) a.push({ tsSec: T0 + k, tsFrac: 500_000_007 + k, data: udpFrame('10.0.0.1', '10.0.0.2', k) });
  a.sort((x, y) => x.tsSec - y.tsSec || x.tsFrac - y.tsFrac);
  const copied = a.findIndex((r) => r.tsSec === T0 + 3 && r.tsFrac === 500_000_010);
  const b: PcapRecord[] = Array.from({ length: 6 }, (_, k) => ({ tsSec: T0 + k, tsFrac: 300_000_000 + k, data: udpFrame('10.0.0.3', '10.0.0.4', 20 + k) }));
  b.push({ tsSec: T0 + 3, tsFrac: 750_000_010, data: a[copied].data });
  b.sort((x, y) => x.tsSec - y.tsSec || x.tsFrac - y.tsFrac);
  const files = { a: path.join(tmp, 'a.pcap'), b: path.join(tmp, 'b.pcap') };
  writeFileSync(files.a, writePcap({ endian: 'le', resolution: 'ns', linkType: 1, snaplen: 65535, records: a }));
  writeFileSync(files.b, writePcap({ endian: 'le', resolution: 'ns', linkType: 1, snaplen: 65535, records: b }));
  return { ...files, copied };
}

/** tshark's frame.time_epoch of each frame, in ns. */
async function epochsNs(file: string): Promise<bigint[]> {
  return (await tsharkFields(file, ['frame.time_epoch'])).rows.map(([t]) => decimalNs(t));
}

function decimalNs(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

const ns = (t: Instant) => BigInt(t.sec) * 1_000_000_000n + BigInt(t.ns);
const rowNs = (r: ListRow) => BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNs);
const fileOf = (p: string) => new File([readFileSync(p)], path.basename(p));

/** Everything placed, at one moment. */
async function snapshot(workspace: Workspace, copied: number) {
  const rows = await workspace.listRows(0, 1000, 0);
  const findings = await workspace.findings();
  const lanes = await workspace.overlays();
  const marks = workspace.placeRows(Uint32Array.of(0, 1), Uint32Array.of(3, 2));
  const copy = await workspace.select({ capture: 0, row: copied });
  const conversation = workspace.conversations('ip').rows.find((c) => c.a === '10.0.0.1' && c.b === '10.0.0.2')!;
  return { rows, findings, lanes, marks, copy: copy!, conversation, overview: workspace.overview() };
}

const arpFinding = (findings: PlacedFinding[]) => findings.find((f) => f.kind === 'arp-unanswered' && f.capture === 0)!;
const arpLane = (lanes: OverlayLane[]) => lanes.find((l) => l.id === 'a.pcap: arp 10.0.0.99')!;

test('a clock offset moves the Time column, a finding, its lane, a mark, seen-at and exports by exactly that much; the other capture stays', async () => {
  const { a, b, copied } = captures();
  const [timesA, timesB] = [await epochsNs(a), await epochsNs(b)];
  const workspace = new Workspace();
  await workspace.open([fileOf(a), fileOf(b)], () => {});
  const before = await snapshot(workspace, copied);

  // Without an offset, every row shows the time tshark reads from the file.
  assert.equal(before.rows.length, timesA.length + timesB.length);
  for (const r of before.rows) assert.equal(rowNs(r), (r.capture === 0 ? timesA : timesB)[r.frame - 1], `capture ${r.capture} frame ${r.frame}`);
  const finding = arpFinding(before.findings);
  assert.ok(finding, 'the unanswered ARP requests are a finding');
  assert.equal(ns(finding.start), timesA[finding.firstRow]);
  assert.equal(arpLane(before.lanes).ticks.length, 5);
  assert.equal(ns({ sec: before.marks.tsSec[0], ns: before.marks.tsNs[0] }), timesA[3]);
  assert.equal(before.copy.seenAt.length, 1);
  assert.ok(Math.abs(before.copy.seenAt[0].deltaSec! - 0.25) < 1e-9, `seen in b.pcap ${before.copy.seenAt[0].deltaSec} s later`);

  for (const [seconds, shiftNs, tolerance] of [
    [3600, HOUR_NS, 1e-9],
    [0.000000123, 123n, 1e-12],
  ] as const) {
    assert.deepEqual(await workspace.setClockOffset(0, seconds), [seconds, 0]);
    const now = await snapshot(workspace, copied);
    // The Time column: capture 0's rows shifted to the ns, capture 1's as recorded.
    assert.equal(now.rows.length, before.rows.length);
    for (const r of now.rows)
      assert.equal(rowNs(r), r.capture === 0 ? timesA[r.frame - 1] + shiftNs : timesB[r.frame - 1], `offset ${seconds}: capture ${r.capture} frame ${r.frame}`);
    // The rows are in time order of the placed times (the merged order follows the offset).
    for (let i = 1; i < now.rows.length; i++) assert.ok(rowNs(now.rows[i - 1]) <= rowNs(now.rows[i]), `row ${i} in time order`);
    // The finding: its printed start and end, and its span on the axis.
    const moved = arpFinding(now.findings);
    assert.equal(ns(moved.start), ns(finding.start) + shiftNs);
    assert.equal(ns(moved.end), ns(finding.end) + shiftNs);
    assert.ok(Math.abs(moved.fromSec - finding.fromSec - seconds) < tolerance, `finding from ${moved.fromSec - finding.fromSec}`);
    assert.ok(Math.abs(moved.toSec - finding.toSec - seconds) < tolerance);
    assert.equal(now.rows.find((r) => r.position === moved.position)?.frame, moved.firstRow + 1, 'the finding points at its packet in the new order');
    // Its lane's ticks.
    const lane = arpLane(now.lanes);
    for (const [i, t] of arpLane(before.lanes).ticks.entries())
      assert.ok(Math.abs(lane.ticks[i] - t - seconds) < tolerance, `tick ${i} moved ${lane.ticks[i] - t}`);
    // The marks: capture 0's moves, capture 1's stays.
    assert.equal(ns({ sec: now.marks.tsSec[0], ns: now.marks.tsNs[0] }), timesA[3] + shiftNs);
    assert.ok(Math.abs(now.marks.timesSec[0] - before.marks.timesSec[0] - seconds) < tolerance);
    assert.equal(ns({ sec: now.marks.tsSec[1], ns: now.marks.tsNs[1] }), timesB[2]);
    assert.equal(now.marks.timesSec[1], before.marks.timesSec[1]);
    // Select and seen-at count the offset.
    assert.equal(ns(now.copy.time), timesA[copied] + shiftNs);
    if (seconds < 1) assert.ok(Math.abs(now.copy.seenAt[0].deltaSec! - (0.25 - seconds)) < tolerance, `seen-at ${now.copy.seenAt[0].deltaSec}`);
    else
      assert.deepEqual(
        now.copy.seenAt.map((s) => [s.capture, s.deltaSec, s.checked]),
        [[1, null, true]],
      );
    // The conversation's first packet (b.pcap holds one of its packets too), and the origin of Relative times.
    // biome-ignore lint/complexity/useMathMinMax: BigInt times, which Math.min does not take
    const firstOf = (times: bigint[]) => times.reduce((m, t) => (t < m ? t : m));
    const talk = (r: ListRow) => r.source === '10.0.0.1' && r.destination === '10.0.0.2';
    const talkTimes = before.rows.filter(talk).map((r) => (r.capture === 0 ? timesA : timesB)[r.frame - 1] + (r.capture === 0 ? shiftNs : 0n));
    assert.equal(ns({ sec: now.conversation.firstSec, ns: now.conversation.firstNs }), firstOf(talkTimes));
    const origin = firstOf([...timesA.map((t) => t + shiftNs), ...timesB]);
    assert.equal(ns(now.overview.origin), origin);
    // Exports write the placed times: the marked packet, and every packet in its new order.
    const marked = path.join(tmp, `marked-${seconds}.pcapng`);
    writeFileSync(marked, new Uint8Array(await (await workspace.exportPicks('pcapng', [{ capture: 0, row: 3 }])).blob.arrayBuffer()));
    assert.deepEqual(await epochsNs(marked), [timesA[3] + shiftNs]);
    const all = path.join(tmp, `all-${seconds}.pcap`);
    writeFileSync(all, new Uint8Array(await (await workspace.exportBlob('pcap', 0, now.rows.length)).blob.arrayBuffer()));
    assert.deepEqual(await epochsNs(all), now.rows.map(rowNs));
  }

  // Back to none: every time is the recorded one again.
  await workspace.setClockOffset(0, 0);
  const back = await snapshot(workspace, copied);
  assert.deepEqual(back.rows.map(rowNs), before.rows.map(rowNs));
  assert.deepEqual(arpLane(back.lanes).ticks, arpLane(before.lanes).ticks);
});
