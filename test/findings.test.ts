/**
 * Findings against tshark, at test time. On the demo capture (field story 1), the story's
 * table must come out in order, each line at its packet: tshark confirms each first frame's
 * time and fields, and counts the copies and requests the findings claim. On real captures,
 * HSRP/VRRP active changes and LACP state changes equal what tshark's decoded fields say.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { findings } from '../src/analysis/findings/findings.ts';
import type { Finding } from '../src/analysis/findings/finding.ts';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { ingest } from '../src/store/capture.ts';
import { epochText } from '../src/store/time-format.ts';
import { STORY } from '../scripts/demo/field-story-1.ts';
import { buildDemoCapture } from '../scripts/demo/generate-demo.ts';
import { sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-findings-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function findingsOf(file: string): Promise<Finding[]> {
  const source = await nodeFileSource(file);
  try {
    const { capture } = await ingest(source, { forViewer: false });
    return await findings(capture, source);
  } finally {
    await source.close?.();
  }
}

/** STORY times are µs since the epoch. */
const epochOf = (us: number) => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}000`;
const startOf = (f: Finding) => epochText(f.start.sec, f.start.ns);

async function frameFields(file: string, frame: number, fields: string[]): Promise<string[]> {
  const { rows } = await tsharkFields(file, ['frame.time_epoch', ...fields], ['-Y', `frame.number == ${frame}`]);
  assert.equal(rows.length, 1, `tshark finds frame ${frame}`);
  return rows[0];
}

async function tsharkCount(file: string, displayFilter: string): Promise<number> {
  return (await tsharkFields(file, ['frame.number'], ['-Y', displayFilter])).rows.length;
}

test("the demo capture: field story 1's table, in order, each at its packet", async () => {
  const file = path.join(tmp, 'field-story-1.pcap');
  writeFileSync(file, buildDemoCapture().pcap);
  const all = await findingsOf(file);

  // The story's rows, as a subsequence of the findings in order.
  const story: [string, (f: Finding) => boolean, number][] = [
    ['repeated-frames', () => true, STORY.stormStart],
    ['arp-unanswered', (f) => f.detail.mode === 'unicast', STORY.firstUnicastArp],
    ['arp-unanswered', (f) => f.detail.mode === 'broadcast', STORY.firstBroadcastArp],
    ['still-receiving', () => true, STORY.hsrpStillArrives],
    ['lacp-state', (f) => f.detail.state === 'expired', STORY.lacpExpired],
    ['lacp-state', (f) => f.detail.state === 'partner-lost', STORY.lacpDefaulted],
  ];
  let from = 0;
  const rows: Finding[] = [];
  for (const [kind, which, at] of story) {
    const i = all.findIndex((f, k) => k >= from && f.kind === kind && which(f));
    assert.ok(i >= 0, `no ${kind} after the previous story row; findings: ${all.map((f) => `${startOf(f)} ${f.kind}`).join(', ')}`);
    assert.equal(startOf(all[i]), epochOf(at), `${kind} starts at the story's time`);
    rows.push(all[i]);
    from = i + 1;
  }
  const [storm, unicast, broadcast, receiving, expired, lost] = rows;

  // 930,000 byte-identical copies of the keep-alive ACK: tshark counts frames with its IP id and sequence number.
  const [t0, ipId, seq, src] = await frameFields(file, storm.firstRow + 1, ['ip.id', 'tcp.seq_raw', 'ip.src']);
  assert.equal(t0, epochOf(STORY.stormStart));
  assert.equal(src, '172.20.18.40');
  assert.equal(storm.frames, 930_000);
  const copies = await tsharkCount(file, `ip.id == ${ipId} && tcp.seq_raw == ${seq} && frame.time_epoch < ${epochOf(STORY.firstUnicastArp)}`);
  assert.equal(copies, storm.frames);

  // The ARP requests, unicast to the HSRP virtual MAC and broadcast; no reply in the capture.
  const [, op, dst, target] = await frameFields(file, unicast.firstRow + 1, ['arp.opcode', 'eth.dst', 'arp.dst.proto_ipv4']);
  assert.deepEqual([op, dst, target], ['1', '00:00:0c:9f:f0:01', '10.100.100.65']);
  assert.equal(await tsharkCount(file, 'arp.opcode == 1 && eth.dst == 00:00:0c:9f:f0:01 && arp.dst.proto_ipv4 == 10.100.100.65'), unicast.frames);
  assert.equal(await tsharkCount(file, 'arp.opcode == 1 && eth.dst == ff:ff:ff:ff:ff:ff && arp.dst.proto_ipv4 == 10.100.100.65'), broadcast.frames);
  assert.equal(await tsharkCount(file, 'arp.opcode == 2'), 0);

  // The HSRPv2 hello, state Active, from the upstream router.
  const [, ipSrc, state] = await frameFields(file, receiving.firstRow + 1, ['ip.src', 'hsrp2.state']);
  assert.deepEqual([ipSrc, state], ['203.0.113.171', '6']);

  // The switch's LACPDUs: Expired, then the partner forgotten (system zero, port 0).
  const [, actorState] = await frameFields(file, expired.firstRow + 1, ['lacp.actor.state']);
  assert.ok(Number(actorState) & 0x80, `actor state ${actorState} has Expired`);
  const [, partnerSys, partnerPort] = await frameFields(file, lost.firstRow + 1, ['lacp.partner.sysid', 'lacp.partner.port']);
  assert.deepEqual([partnerSys, partnerPort], ['00:00:00:00:00:00', '0']);
});

const dir = sharedCapturesDir();

for (const name of ['HSRP_failover.pcap', 'HSRP_coup.pcap', 'HSRP_election.pcap', 'vrrp.pcap']) {
  test(`HSRP/VRRP active changes = tshark's fields: ${name}`, { skip: sharedSkipReason }, async () => {
    const file = path.join(dir!, name);
    const { rows } = await tsharkFields(file, ['frame.number', 'ip.src', 'ipv6.src', 'hsrp.state', 'hsrp.group', 'vrrp.version', 'vrrp.virt_rtr_id']);
    // The active speaker per group: HSRPv1 state 16 (Active), every VRRP advertisement; a change is a new speaker.
    const active = new Map<string, string>();
    const expected: string[] = [];
    for (const [frame, ip4, ip6, hsrpState, hsrpGroup, vrrpVersion, vrid] of rows) {
      const speaker = ip4 || ip6;
      const group = hsrpState === '16' ? `hsrp ${hsrpGroup}` : vrid ? `vrrp ${vrrpVersion} ${vrid} ${ip6 ? 6 : 4}` : null;
      if (!group) continue;
      const previous = active.get(group);
      active.set(group, speaker);
      if (previous && previous !== speaker) expected.push(`${frame} ${speaker}`);
    }
    const ours = (await findingsOf(file)).filter((f) => f.kind === 'hsrp-state' || f.kind === 'vrrp-state').map((f) => `${f.firstRow + 1} ${f.detail.active}`);
    assert.deepEqual(ours.sort(), expected.sort());
    if (name !== 'HSRP_election.pcap') assert.ok(expected.length > 0, 'the capture has a change of active router');
  });
}

test("LACP state changes = what tshark's decoded LACPDUs say: LACP.pcap", { skip: sharedSkipReason }, async () => {
  const file = path.join(dir!, 'LACP.pcap');
  const { rows } = await tsharkFields(file, ['frame.number', 'lacp.actor.sysid', 'lacp.actor.port', 'lacp.actor.state', 'lacp.partner.sysid', 'lacp.partner.port']);
  const last = new Map<string, string>();
  const expected: string[] = [];
  for (const [frame, sys, port, state, partnerSys, partnerPort] of rows) {
    const s = Number(state);
    const condition =
      partnerSys === '00:00:00:00:00:00' && partnerPort === '0' ? 'partner-lost' : s & 0x40 ? 'defaulted' : s & 0x80 ? 'expired' : (s & 0x38) !== 0x38 ? 'out-of-sync' : 'in-bundle';
    const key = `${sys}/${port}`;
    const previous = last.get(key) ?? 'in-bundle';
    last.set(key, condition);
    if (condition !== previous) expected.push(`${frame} ${condition === 'in-bundle' ? 'recovered' : condition}`);
  }
  const ours = (await findingsOf(file)).filter((f) => f.kind === 'lacp-state').map((f) => `${f.firstRow + 1} ${f.detail.state}`);
  assert.deepEqual(ours, expected);
  assert.ok(expected.length >= 3);
});
