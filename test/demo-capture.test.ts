// The demo capture (public/demo/field-story-1.pcap.gz) must be exactly what
// scripts/demo/generate-demo.ts makes, and must hold every row of field story 1's table
// (../shared/docs/field-stories.md) at the story's times with the story's addresses.
//
// The expected values below are the story's, typed in here (times converted from local
// UTC+9 to UTC), and tshark reads the shipped file: nothing is taken from the generator.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DEMO_DIR, DEMO_FILE_NAME, writeDemo } from '../scripts/demo/generate-demo.ts';
import { requireTool, tsharkFields } from './support/oracle.ts';

const DEMO = path.join(DEMO_DIR, DEMO_FILE_NAME);

const ROUTER_MAC = '52:54:00:4b:0a:75';
const HSRP_VIRTUAL_MAC = '00:00:0c:9f:f0:01';
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ZERO_MAC = '00:00:00:00:00:00';

/** tshark's frame.time_epoch text for an ISO time with microseconds: '2017-12-05T05:12:51.447649Z'. */
function epoch(iso: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(iso);
  if (!m) throw new Error(`bad time ${iso}`);
  return `${Date.parse(`${m[1]}Z`) / 1000}.${m[2]}000`;
}

/** Seconds as a number, for intervals (µs resolution is far inside a double's precision here). */
const seconds = (epochText: string) => Number(epochText);

// The story's table, 2017-12-05, local 14:xx (UTC+9) = 05:xx UTC. Times are compared as
// tshark's frame.time_epoch text, which has one fixed width throughout this capture.
const T = {
  calmFrom: epoch('2017-12-05T05:12:45.000000Z'),
  stormStart: epoch('2017-12-05T05:12:51.447649Z'),
  firstUnicastArp: epoch('2017-12-05T05:12:53.955594Z'),
  firstBroadcastArp: epoch('2017-12-05T05:13:17.763339Z'),
  hsrpStillArrives: epoch('2017-12-05T05:13:32.885370Z'),
  lacpExpired: epoch('2017-12-05T05:14:17.810749Z'),
  lacpDefaulted: epoch('2017-12-05T05:14:20.811089Z'),
};

/** Rows as objects keyed by field name. */
async function tsharkRecords(file: string, fields: string[], args: string[]): Promise<{ records: Record<string, string>[]; other: string[] }> {
  const { rows, status, stderr } = await tsharkFields(file, fields, args);
  assert.equal(status, 0, stderr);
  // io,stat tables (-z) come after the packet rows on stdout, as lines without tabs.
  const records = rows.filter((r) => r.length === fields.length).map((r) => Object.fromEntries(fields.map((f, i) => [f, r[i]])));
  const other = rows.filter((r) => r.length !== fields.length).map((r) => r.join('\t'));
  return { records, other };
}

/** The frame counts of a one-interval `-z io,stat,0,...` table, one per filter column. */
function ioStatCounts(lines: string[], columns: number): number[] {
  const row = lines.find((l) => /^\|\s*[\d.]+ <> [\d.]+\s*\|/.test(l));
  assert.ok(row, `no io,stat row in:\n${lines.join('\n')}`);
  const cells = row
    .split('|')
    .map((c) => c.trim())
    .filter(Boolean)
    .slice(1);
  // Each column is "frames | bytes".
  const counts = Array.from({ length: columns }, (_, i) => Number(cells[2 * i]));
  assert.ok(counts.every(Number.isInteger), row);
  return counts;
}

function shippedIsGenerated(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-capture-'));
  try {
    const fresh = writeDemo(dir);
    const shipped = readFileSync(DEMO);
    // The capture, not its compressed bytes: zlib builds (SIMD paths differ by CPU) may
    // compress the same bytes differently.
    assert.ok(Buffer.from(fresh.pcap).equals(gunzipSync(shipped)), `${DEMO} is stale: run node --import tsx scripts/demo/generate-demo.ts`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the first 20,000 frames, with TCP analysis: the calm and the storm's first copies ---------

const EARLY_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'frame.time_delta',
  'frame.len',
  'eth.src',
  'eth.dst',
  'vlan.id',
  'ip.src',
  'ip.dst',
  'ip.id',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'icmp.type',
];

async function calmThenStorm(): Promise<void> {
  requireTool('tshark');
  const { records } = await tsharkRecords(DEMO, EARLY_FIELDS, ['-c', '20000']);
  const calm = records.filter((r) => r['frame.time_epoch'] < T.stormStart);
  assert.ok(calm.length > 0 && calm[0]['frame.time_epoch'] >= T.calmFrom, 'the capture starts at 14:12:45 local');

  // Calm: TCP keep-alives on VLAN 956 between 172.20.18.40 and 10.100.200.143:1434, answered.
  const keepAlives = calm.filter((r) => r['tcp.analysis.keep_alive'] === '1');
  assert.ok(keepAlives.length >= 1, 'a keep-alive in the calm');
  for (const r of keepAlives) {
    assert.deepEqual([r['vlan.id'], r['ip.src'], r['tcp.srcport'], r['ip.dst']], ['956', '10.100.200.143', '1434', '172.20.18.40']);
  }
  // Calm: an ICMP echo and its reply.
  assert.deepEqual(
    calm.filter((r) => r['icmp.type'] !== '').map((r) => r['icmp.type']),
    ['8', '0'],
  );

  // The storm's first frame: the keep-alive ACK, sent by the router (TX), at the story's time.
  const startIndex = records.findIndex((r) => r['frame.time_epoch'] >= T.stormStart);
  const first = records[startIndex];
  assert.equal(first['frame.time_epoch'], T.stormStart);
  assert.equal(first['tcp.analysis.keep_alive_ack'], '1');
  assert.deepEqual(
    [first['eth.src'], first['vlan.id'], first['ip.src'], first['ip.dst'], first['tcp.dstport'], first['tcp.len']],
    [ROUTER_MAC, '956', '172.20.18.40', '10.100.200.143', '1434', '0'],
  );
  // It answers the keep-alive just before it: ack = the keep-alive's seq + its 1 byte.
  const answered = keepAlives[keepAlives.length - 1];
  assert.equal(Number(first['tcp.ack_raw']), Number(answered['tcp.seq_raw']) + 1);

  // Every following frame read here is the same frame again (2.5 s of copies start here).
  const copies = records.slice(startIndex + 1);
  assert.ok(copies.length > 19_000);
  const identity = ['frame.len', 'eth.src', 'eth.dst', 'vlan.id', 'ip.id', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.analysis.keep_alive_ack'];
  for (const c of copies)
    assert.deepEqual(
      identity.map((f) => c[f]),
      identity.map((f) => first[f]),
      `frame ${c['frame.number']}`,
    );

  // ~1 µs apart: copies come back to back, 1 µs apart, in runs of hundreds separated by
  // pauses of a millisecond or two (that is how 930,000 of them take 2.5 s).
  const deltas = copies.map((c) => Math.round(Number(c['frame.time_delta']) * 1e6));
  const oneMicro = deltas.filter((d) => d === 1).length;
  assert.ok(oneMicro / deltas.length > 0.99, `${oneMicro} of ${deltas.length} copies 1 µs apart`);
  assert.ok(Math.max(...deltas) < 2000, `longest pause ${Math.max(...deltas)} µs`);
}

// ---- one pass over the whole file: the rest of the table --------------------------------------

/**
 * VLAN dissection is off in this pass: the storm is VLAN-tagged, so its millions of frames
 * stop at the tag (their bytes after it become `data`), which keeps the pass fast. Nothing
 * the story reads from this pass is tagged.
 */
const LATE_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'vrrp.virt_rtr_id',
  'hsrp2.state',
  'hsrp2.virt_ip',
  'arp.opcode',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'lacp.actor.sysid',
  'lacp.actor.port',
  'lacp.actor.state',
  'lacp.partner.sysid',
  'lacp.partner.port',
  'lacp.partner.state',
];

/**
 * A display filter matching exactly the bytes of the (VLAN-tagged) frame at `time`: its
 * Ethernet header fields and, VLAN dissection being off, everything after them as `data`.
 */
async function sameBytesAs(time: string): Promise<string> {
  const fields = ['eth.dst', 'eth.src', 'eth.type', 'data.data'];
  const { records } = await tsharkRecords(DEMO, fields, ['-c', '20000', '--disable-protocol', 'vlan', '-Y', `frame.time_epoch == ${time}`]);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.deepEqual([r['eth.src'], r['eth.type']], [ROUTER_MAC, '0x8100']);
  return fields.map((f) => `${f} == ${r[f]}`).join(' && ');
}

const lacpState = (r: Record<string, string>, side: 'actor' | 'partner') => Number(r[`lacp.${side}.state`]);
/** 802.1AX state bits. */
const ACTIVITY = 0x01;
const TIMEOUT = 0x02;
const AGGREGATION = 0x04;
const SYNC = 0x08;
const COLLECTING = 0x10;
const DISTRIBUTING = 0x20;
const DEFAULTED = 0x40;
const EXPIRED = 0x80;

async function storyTable(): Promise<void> {
  requireTool('tshark');
  const theAck = await sameBytesAs(T.stormStart);
  const arpWindowEnd = (Number(T.firstUnicastArp) + 0.4).toFixed(6);
  const columns = [
    // The 2.5 s before the first ARP: how many frames, and how many are the very same ACK.
    `frame.time_epoch >= ${T.stormStart} && frame.time_epoch < ${T.firstUnicastArp}`,
    `frame.time_epoch >= ${T.stormStart} && frame.time_epoch < ${T.firstUnicastArp} && ${theAck}`,
    // The 0.4 s after it: ARPs and ACKs, about one ARP per three ACKs.
    `frame.time_epoch >= ${T.firstUnicastArp} && frame.time_epoch < ${arpWindowEnd} && arp`,
    `frame.time_epoch >= ${T.firstUnicastArp} && frame.time_epoch < ${arpWindowEnd} && ${theAck}`,
    // The storm goes on after the ARP turns broadcast.
    `frame.time_epoch >= ${T.firstBroadcastArp} && ${theAck}`,
  ];
  // Every ARP up to just after each story time is listed, so an earlier one would show up first.
  const shortly = (t: string) => (Number(t) + 0.0001).toFixed(6);
  const filter = [
    'vrrp',
    'hsrp',
    'lacp',
    'arp.opcode == 2',
    `(arp && frame.time_epoch < ${shortly(T.firstUnicastArp)})`,
    `(arp && eth.dst == ${BROADCAST} && frame.time_epoch < ${shortly(T.firstBroadcastArp)})`,
  ].join(' || ');
  const { records, other } = await tsharkRecords(DEMO, LATE_FIELDS, ['--disable-protocol', 'vlan', '-Y', filter, '-z', `io,stat,0,${columns.join(',')}`]);
  const [stormFrames, stormAcks, arps, arpWindowAcks, lateAcks] = ioStatCounts(other, columns.length);

  // 14:12:51.447649: 930,000 copies of the same frame in 2.5 s, nothing else on the wire then
  // but what still arrives (HSRP hellos).
  const received = records.filter((r) => r['frame.time_epoch'] >= T.stormStart && r['frame.time_epoch'] < T.firstUnicastArp);
  assert.equal(stormAcks, 930_000);
  assert.equal(stormFrames, stormAcks + received.length);
  assert.ok(received.every((r) => r['hsrp2.state'] !== ''));

  // 14:12:53.955594: unicast ARP for the gateway to its HSRP virtual MAC, one per three ACKs.
  const arpRows = records.filter((r) => r['arp.opcode'] !== '');
  const firstArp = arpRows[0];
  assert.equal(firstArp['frame.time_epoch'], T.firstUnicastArp);
  assert.deepEqual(
    [firstArp['arp.opcode'], firstArp['eth.src'], firstArp['eth.dst'], firstArp['arp.src.proto_ipv4'], firstArp['arp.dst.proto_ipv4']],
    ['1', ROUTER_MAC, HSRP_VIRTUAL_MAC, '10.100.100.75', '10.100.100.65'],
  );
  assert.ok(Math.abs(arpWindowAcks / arps - 3) < 0.05, `${arps} ARPs, ${arpWindowAcks} ACKs`);
  // No ARP reply ever.
  assert.deepEqual(
    arpRows.filter((r) => r['arp.opcode'] === '2'),
    [],
  );

  // 14:13:17.763339: the same request goes out broadcast as well, µs apart, the storm still on.
  const broadcasts = arpRows.filter((r) => r['eth.dst'] === BROADCAST);
  assert.equal(broadcasts[0]['frame.time_epoch'], T.firstBroadcastArp);
  assert.deepEqual([broadcasts[0]['arp.src.proto_ipv4'], broadcasts[0]['arp.dst.proto_ipv4']], ['10.100.100.75', '10.100.100.65']);
  assert.ok(broadcasts.length >= 5 && seconds(broadcasts[4]['frame.time_epoch']) - seconds(T.firstBroadcastArp) < 0.0001);
  assert.ok(lateAcks > 100_000, `${lateAcks} copies after the switch to broadcast`);

  // 14:13:32.885370: an HSRPv2 hello, state Active, from the upstream router: RX works.
  const hellos = records.filter((r) => r['hsrp2.state'] !== '');
  const proof = hellos.find((r) => r['frame.time_epoch'] === T.hsrpStillArrives);
  assert.ok(proof, 'an HSRP hello at 14:13:32.885370');
  assert.deepEqual([proof['ip.src'], proof['ip.dst'], proof['hsrp2.state'], proof['hsrp2.virt_ip']], ['203.0.113.171', '224.0.0.102', '6', '10.100.100.65']);
  // ... every 3 s, of which the capture kept, once the storm began, only those inside its kept
  // bursts: gaps are whole multiples of 3 s, and this is the first one since the ARP began.
  for (let i = 1; i < hellos.length; i++) {
    const gap = seconds(hellos[i]['frame.time_epoch']) - seconds(hellos[i - 1]['frame.time_epoch']);
    assert.ok(Math.abs(gap / 3 - Math.round(gap / 3)) < 0.01, `HSRP hello gap ${gap} s`);
    if (hellos[i]['frame.time_epoch'] < T.stormStart) assert.ok(Math.abs(gap - 3) < 0.01, `HSRP hello gap ${gap} s before the storm`);
  }
  const sinceArp = hellos.filter((r) => r['frame.time_epoch'] >= T.firstUnicastArp);
  assert.equal(sinceArp[0]['frame.time_epoch'], T.hsrpStillArrives);
  assert.ok(hellos[0]['frame.time_epoch'] < T.stormStart && sinceArp.length >= 2);

  // Calm: VRRPv2 adverts from 10.100.100.75 once a second; none once TX is flooded.
  const adverts = records.filter((r) => r['vrrp.virt_rtr_id'] !== '');
  assert.ok(adverts.length >= 6);
  for (const a of adverts) assert.deepEqual([a['ip.src'], a['ip.dst']], ['10.100.100.75', '224.0.0.18']);
  for (let i = 1; i < adverts.length; i++) {
    const gap = seconds(adverts[i]['frame.time_epoch']) - seconds(adverts[i - 1]['frame.time_epoch']);
    assert.ok(Math.abs(gap - 1) < 0.001, `VRRP advert gap ${gap} s`);
  }
  assert.ok(adverts[adverts.length - 1]['frame.time_epoch'] < T.stormStart);
  assert.ok(seconds(T.stormStart) - seconds(adverts[adverts.length - 1]['frame.time_epoch']) < 1);

  checkLacp(records.filter((r) => r['lacp.actor.port'] !== ''));
}

/** LACP between the router (actor port 9) and the switch (actor port 32795). */
function checkLacp(lacpdus: Record<string, string>[]): void {
  const IN_BUNDLE = ACTIVITY | AGGREGATION | SYNC | COLLECTING | DISTRIBUTING; // 0x3d
  const fromRouter = lacpdus.filter((r) => r['lacp.actor.port'] === '9');
  const fromSwitch = lacpdus.filter((r) => r['lacp.actor.port'] === '32795');
  assert.equal(fromRouter.length + fromSwitch.length, lacpdus.length);

  // Calm: both sides in the bundle, each naming the other.
  const calmSwitch = fromSwitch.filter((r) => r['frame.time_epoch'] < T.stormStart);
  assert.ok(fromRouter.length >= 1 && calmSwitch.length >= 1);
  for (const [rows, partnerPort] of [
    [fromRouter, '32795'],
    [calmSwitch, '9'],
  ] as const) {
    for (const r of rows) {
      assert.deepEqual([lacpState(r, 'actor'), lacpState(r, 'partner'), r['lacp.partner.port']], [IN_BUNDLE, IN_BUNDLE, partnerPort]);
    }
  }
  assert.equal(calmSwitch[0]['lacp.partner.sysid'], ROUTER_MAC);
  // TX is broken: the router's LACPDUs are not seen once the storm starts; the switch's keep coming.
  assert.ok(fromRouter.every((r) => r['frame.time_epoch'] < T.stormStart));

  // Before 14:14:17.810749 the switch still has the router in sync.
  const beforeExpiry = fromSwitch.filter((r) => r['frame.time_epoch'] < T.lacpExpired);
  assert.ok(
    beforeExpiry.some((r) => r['frame.time_epoch'] > T.stormStart),
    'switch LACPDUs arrive during the storm',
  );
  for (const r of beforeExpiry) {
    assert.equal(lacpState(r, 'actor'), IN_BUNDLE);
    assert.equal(r['lacp.partner.sysid'], ROUTER_MAC);
    assert.ok(lacpState(r, 'partner') & SYNC);
  }

  // 14:14:17.810749: nothing heard from the router for 3 x 30 s, the switch's receive machine
  // is EXPIRED: Expired set, no longer collecting/distributing; the router is still its partner,
  // now out of sync and asked for fast (short timeout) LACPDUs.
  const expired = fromSwitch.find((r) => r['frame.time_epoch'] >= T.lacpExpired);
  assert.ok(expired);
  assert.equal(expired['frame.time_epoch'], T.lacpExpired);
  assert.equal(expired['lacp.actor.state'], '0x8d'); // Activity, Aggregation, Synchronization, Expired
  assert.equal(expired['lacp.partner.state'], '0x37'); // Activity, Timeout, Aggregation, Collecting, Distributing
  assert.equal(lacpState(expired, 'actor') & EXPIRED, EXPIRED);
  assert.equal(lacpState(expired, 'partner') & (SYNC | TIMEOUT), TIMEOUT);
  assert.deepEqual([expired['lacp.partner.sysid'], expired['lacp.partner.port']], [ROUTER_MAC, '9']);

  // 14:14:20.811089: DEFAULTED, partner system 00:00:00:00:00:00 port 0, partner Timeout set:
  // LACP timeout, the bond goes down.
  const defaulted = fromSwitch.find((r) => lacpState(r, 'actor') & DEFAULTED);
  assert.ok(defaulted);
  assert.equal(defaulted['frame.time_epoch'], T.lacpDefaulted);
  assert.equal(defaulted['lacp.actor.state'], '0x45'); // Activity, Aggregation, Defaulted
  assert.deepEqual([defaulted['lacp.partner.sysid'], defaulted['lacp.partner.port']], [ZERO_MAC, '0']);
  assert.equal(lacpState(defaulted, 'partner') & TIMEOUT, TIMEOUT);
}

// The tshark passes run side by side (the long one takes most of the time); the
// synchronous rebuild comes last so it does not delay their start.
describe('the demo capture', { concurrency: true }, () => {
  test('the story table: 930,000 copies in 2.5 s, unanswered ARP going broadcast, HSRP still heard, LACP expiry', storyTable);
  test('calm, then the same keep-alive ACK repeating ~1 µs apart from 14:12:51.447649', calmThenStorm);
  test('the shipped demo is byte for byte what the generator makes', shippedIsGenerated);
});
