/**
 * The packet list's rows, as the worker builds them from the store and the re-read bytes,
 * against tshark's columns: TCP Info with relative numbers, window scaling and analysis
 * verdicts (recorded at ingest) on every TCP frame; vendor-named MACs on LACP frames.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOui } from '../src/decode/oui.ts';
import { Workspace } from '../src/session/workspace.ts';
import { sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

const TCP_CAPTURES = [
  'smb_v2_only_non_zero_reserved1.pcap',
  'docker-http-upgrade.pcap',
  'modbusBig.pcap',
  'cwd-navigation.pcap',
  'vlan-collisions.pcap',
  'tcp-handshake-nano.pcap',
  'modbus-and-non-modbus-p502.pcap',
  'mixed-vlan-mpls.pcap',
  'vlan-pcp-dei.pcapng',
  'pptp.pcap',
  'nmap-vsn.pcap',
];

async function rowsOf(name: string) {
  const workspace = new Workspace();
  const [opened] = await workspace.open([new File([readFileSync(join(sharedCapturesDir()!, name))], name)], () => {});
  return new Map((await workspace.listRows(0, opened.packets, 0)).map((r) => [r.frame, r]));
}

for (const name of TCP_CAPTURES) {
  test(`TCP Info of ${name} equals tshark's`, { skip: sharedSkipReason }, async () => {
    // No reassembly: a segment's Info is then the TCP line, as ours is.
    const oracle = await tsharkFields(
      join(sharedCapturesDir()!, name),
      ['frame.number', '_ws.col.Protocol', '_ws.col.Info'],
      ['-o', 'tcp.desegment_tcp_streams:FALSE'],
    );
    const rows = await rowsOf(name);
    let compared = 0;
    for (const [frame, protocol, info] of oracle.rows) {
      // F5 load balancers' trailers make tshark prefix "IN s1/tmm1 : "; we do not decode them.
      if (protocol !== 'TCP' || /^(IN|OUT) +s\d/.test(info)) continue;
      assert.equal(rows.get(Number(frame))!.info, info, `${name} frame ${frame}`);
      compared++;
    }
    assert.ok(compared > 0);
  });
}

test('LACP rows name MACs by vendor as tshark does', { skip: sharedSkipReason }, async () => {
  await loadOui();
  const oracle = await tsharkFields(join(sharedCapturesDir()!, 'LACP.pcap'), ['frame.number', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol']);
  const rows = await rowsOf('LACP.pcap');
  for (const [frame, source, destination, protocol] of oracle.rows) {
    const row = rows.get(Number(frame))!;
    assert.deepEqual([row.source, row.destination, row.protocol], [source, destination, protocol], `frame ${frame}`);
  }
});
