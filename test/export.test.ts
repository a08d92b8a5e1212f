/**
 * Export against tcpdump and tshark, at test time. A pcap export holds, record for record,
 * what `tcpdump -r FILE -w OUT EXPR` writes (timestamps at the input's precision, lengths,
 * bytes); a pcapng export, read back by tcpdump and tshark, holds the same packets, one named
 * interface per source, and the marks' notes as packet comments.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runExport } from '../src/cli/export-command.ts';
import { Workspace } from '../src/session/workspace.ts';
import { pcapRecordKeys, requireTool, sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-export-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const dir = sharedCapturesDir();

/** What tcpdump writes for a selection, at the input's precision. */
function tcpdumpWrites(file: string, expression: string | undefined, nano: boolean): string[] {
  const out = path.join(tmp, `tcpdump-${Math.random().toString(36).slice(2)}.pcap`);
  const args = ['-r', file, '-w', out, ...(nano ? ['--time-stamp-precision=nano'] : []), ...(expression ? [expression] : [])];
  execFileSync(requireTool('tcpdump'), args, { stdio: 'ignore' });
  return pcapRecordKeys(readFileSync(out));
}

const CASES: { name: string; nano: boolean; expressions: (string | undefined)[] }[] = [
  { name: 'vrrp.pcap', nano: false, expressions: [undefined, 'vrrp', 'ip6', 'not (host 10.0.0.97)'] },
  { name: 'VlanPackets.pcap', nano: false, expressions: ['vlan and icmp', 'not vlan'] },
  { name: 'nanosecs_big_endian.pcap', nano: true, expressions: [undefined, 'tcp'] },
  { name: 'tcp-handshake-nano.pcap', nano: true, expressions: [undefined, 'tcp[tcpflags] & tcp-syn != 0'] },
  { name: 'vlan-pcp-dei.pcapng', nano: false, expressions: [undefined, 'vlan 200'] },
  { name: 'modbusBig.pcap', nano: false, expressions: ['port 502 and len > 70'] },
];

for (const c of CASES) {
  test(`pcap export = what tcpdump -w writes: ${c.name}`, { skip: sharedSkipReason }, async () => {
    const file = path.join(dir!, c.name);
    for (const expression of c.expressions) {
      const out = path.join(tmp, `ours-${c.name}.pcap`);
      const { packets } = await runExport({ files: [file], filter: expression, format: 'pcap', out });
      const expected = tcpdumpWrites(file, expression, c.nano);
      const ours = pcapRecordKeys(readFileSync(out));
      assert.equal(ours.length, expected.length, `${expression ?? 'all'}: ${ours.length} records, tcpdump writes ${expected.length}`);
      assert.equal(packets, expected.length);
      assert.ok(
        ours.every((k, i) => k === expected[i]),
        `${expression ?? 'all'}: records differ from tcpdump's`,
      );
    }
  });
}

test('a gzip capture exports from its decompressed bytes', { skip: sharedSkipReason }, async () => {
  const file = path.join(dir!, 'vrrp.pcap');
  const gz = path.join(tmp, 'vrrp.pcap.gz');
  writeFileSync(gz, gzipSync(readFileSync(file)));
  const out = path.join(tmp, 'from-gz.pcap');
  await runExport({ files: [gz], filter: 'vrrp', format: 'pcap', out });
  assert.deepEqual(pcapRecordKeys(readFileSync(out)), tcpdumpWrites(file, 'vrrp', false));
});

test('pcapng export of two captures: merged in time order, an interface per source, notes as comments', { skip: sharedSkipReason }, async () => {
  const a = path.join(dir!, 'HSRP_failover.pcap');
  const b = path.join(dir!, 'HSRP_coup.pcap');
  const marks = path.join(tmp, 'marks.json');
  writeFileSync(
    marks,
    JSON.stringify({
      marks: [
        { file: 'HSRP_failover.pcap', frame: 3, note: 'the standby speaks' },
        { file: 'HSRP_coup.pcap', frame: 27, note: 'coup: 192.168.0.10 takes over' },
      ],
    }),
  );
  const out = path.join(tmp, 'two.pcapng');
  // All packets first: the merge, checked against mergecap's order through tcpdump's bytes.
  await runExport({ files: [a, b], format: 'pcapng', out });
  const merged = path.join(tmp, 'mergecap.pcapng');
  execFileSync(requireTool('mergecap'), ['-w', merged, a, b]);
  assert.deepEqual(tcpdumpWrites(out, undefined, true), tcpdumpWrites(merged, undefined, true));
  const names = await tsharkFields(out, ['frame.interface_name']);
  assert.deepEqual([...new Set(names.rows.map((r) => r[0]))].sort(), ['HSRP_coup.pcap', 'HSRP_failover.pcap']);

  // Marks only: two packets with their notes as frame.comment, the original bytes.
  await runExport({ files: [a, b], marks, format: 'pcapng', out });
  const { rows } = await tsharkFields(out, ['frame.interface_name', 'frame.comment', 'frame.time_epoch', 'frame.len']);
  const original = (file: string, frame: number) => tsharkFields(file, ['frame.time_epoch', 'frame.len'], ['-Y', `frame.number == ${frame}`]);
  const [fa] = (await original(a, 3)).rows;
  const [fb] = (await original(b, 27)).rows;
  const expected = [
    ['HSRP_failover.pcap', 'the standby speaks', ...fa],
    ['HSRP_coup.pcap', 'coup: 192.168.0.10 takes over', ...fb],
  ].sort((x, y) => x[2].localeCompare(y[2]));
  assert.deepEqual(rows, expected);
});

test('marked packets and marked ranges export together, in time order, as the frames tshark places there', { skip: sharedSkipReason }, async () => {
  const file = path.join(dir!, 'HSRP_failover.pcap');
  const workspace = new Workspace();
  await workspace.open([new File([readFileSync(file)], 'HSRP_failover.pcap')], () => {});
  const { rows } = await tsharkFields(file, ['frame.number', 'frame.time_epoch']);
  // A range over frames 20-24 by tshark's times, in the workspace's seconds (since the first packet's whole second), and frame 5 marked.
  const base = Math.floor(Number(rows[0][1]));
  const at = (frame: number) => Number(rows[frame - 1][1]) - base;
  const range = { fromSec: at(20), toSec: at(24) + 1e-7 };
  const { blob, packets } = await workspace.exportPicks('pcap', [{ capture: 0, row: 4, comment: 'ignored by pcap' }], [range]);
  const ours = pcapRecordKeys(Buffer.from(await blob.arrayBuffer()));
  const all = tcpdumpWrites(file, undefined, false);
  assert.equal(packets, 6);
  assert.deepEqual(ours, [all[4], ...all.slice(19, 24)]);
});
