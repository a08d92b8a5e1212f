/**
 * Findings against tshark, at test time. On the demo capture (field story 1), the story's
 * table must come out in order, each line at its packet: tshark confirms each first frame's
 * time and fields, and counts the copies and requests the findings claim. On real captures,
 * HSRP/VRRP active changes and LACP state changes equal what tshark's decoded fields say.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
import { requireTool, sharedCapturesDir, sharedSkipReason, tcpdumpFrames, tsharkFields } from './support/oracle.ts';

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

/** Fields of some frames, in frame order: editcap picks them (no dissection of the 1.4 M others), tshark decodes them. */
async function framesFields(file: string, frames: number[], fields: string[]): Promise<string[][]> {
  const picked = path.join(tmp, `frames-${frames.join('-')}.pcap`);
  execFileSync(requireTool('editcap'), ['-r', file, picked, ...frames.map(String)]);
  const { rows } = await tsharkFields(picked, ['frame.time_epoch', ...fields]);
  assert.equal(rows.length, frames.length, 'editcap picks each frame');
  return rows;
}

/** tcpdump's count of packets matching a BPF expression (fast: no dissection). */
async function tcpdumpCount(file: string, expression: string, beforeFrame = Infinity): Promise<number> {
  return (await tcpdumpFrames(file, expression)).frames.filter((n) => n < beforeFrame).length;
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

  const [stormRow, unicastRow, , receivingRow, expiredRow, lostRow] = await framesFields(
    file,
    [storm, unicast, broadcast, receiving, expired, lost].map((f) => f.firstRow + 1),
    [
      'ip.src',
      'ip.id',
      'tcp.seq_raw',
      'arp.opcode',
      'eth.dst',
      'arp.dst.proto_ipv4',
      'hsrp2.state',
      'lacp.actor.state',
      'lacp.partner.sysid',
      'lacp.partner.port',
    ],
  );
  const [t0, ipSrc, ipId, seq] = stormRow;
  assert.equal(t0, epochOf(STORY.stormStart));
  assert.equal(ipSrc, '172.20.18.40');

  // 930,000 copies of that frame (its IP id and sequence number) before the first ARP: tcpdump counts them.
  assert.equal(storm.frames, 930_000);
  assert.equal(await tcpdumpCount(file, `vlan 956 and ip[4:2] = ${ipId} and tcp[4:4] = ${seq}`, unicast.firstRow + 1), storm.frames);

  // The ARP requests, unicast to the HSRP virtual MAC and broadcast; no reply in the capture.
  assert.deepEqual(unicastRow.slice(4, 7), ['1', '00:00:0c:9f:f0:01', '10.100.100.65']);
  const gatewayRequest = 'arp[6:2] = 1 and arp[24:4] = 0x0a646441';
  assert.equal(await tcpdumpCount(file, `ether dst 00:00:0c:9f:f0:01 and ${gatewayRequest}`), unicast.frames);
  assert.equal(await tcpdumpCount(file, `ether broadcast and ${gatewayRequest}`), broadcast.frames);
  assert.equal(await tcpdumpCount(file, 'arp[6:2] = 2'), 0);

  // The HSRPv2 hello, state Active, from the upstream router.
  assert.deepEqual([receivingRow[1], receivingRow[7]], ['203.0.113.171', '6']);

  // The switch's LACPDUs: Expired, then the partner forgotten (system zero, port 0).
  assert.ok(Number(expiredRow[8]) & 0x80, `actor state ${expiredRow[8]} has Expired`);
  assert.deepEqual(lostRow.slice(9, 11), ['00:00:00:00:00:00', '0']);
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
  const { rows } = await tsharkFields(file, [
    'frame.number',
    'lacp.actor.sysid',
    'lacp.actor.port',
    'lacp.actor.state',
    'lacp.partner.sysid',
    'lacp.partner.port',
  ]);
  const last = new Map<string, string>();
  const expected: string[] = [];
  for (const [frame, sys, port, state, partnerSys, partnerPort] of rows) {
    const s = Number(state);
    const condition =
      partnerSys === '00:00:00:00:00:00' && partnerPort === '0'
        ? 'partner-lost'
        : s & 0x40
          ? 'defaulted'
          : s & 0x80
            ? 'expired'
            : (s & 0x38) !== 0x38
              ? 'out-of-sync'
              : 'in-bundle';
    const key = `${sys}/${port}`;
    const previous = last.get(key) ?? 'in-bundle';
    last.set(key, condition);
    if (condition !== previous) expected.push(`${frame} ${condition === 'in-bundle' ? 'recovered' : condition}`);
  }
  const ours = (await findingsOf(file)).filter((f) => f.kind === 'lacp-state').map((f) => `${f.firstRow + 1} ${f.detail.state}`);
  assert.deepEqual(ours, expected);
  assert.ok(expected.length >= 3);
});
