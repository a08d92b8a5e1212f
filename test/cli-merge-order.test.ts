/**
 * The CLI's export and the tab's write one order (they share it: the session's Placement
 * and ChosenPackets): by exact time, as mergecap. The captures are made so that a double of
 * the time cannot tell them apart: packets 1 ns apart, 54 years after one capture's first
 * packet. On a tie the earlier file comes first (mergecap 4.0 puts the later one first).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, udp } from '../kit/frames.ts';
import { pcapRecordKeys, requireTool } from './support/oracle.ts';
import { runCli } from './support/run-cli.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-merge-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const LATE = 1_700_000_000;
const frame = (k: number) =>
  ethernet({
    dst: '02:00:00:00:00:02',
    src: '02:00:00:00:00:01',
    etherType: 0x0800,
    payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: k, payload: udp({ sport: 1000 + k, dport: 53, payload: Uint8Array.of(k) }) }),
  });

/** tcpdump's records of a file, at ns precision: the same bytes for the same packets whatever wrote the file. */
function records(file: string): string[] {
  return pcapRecordKeys(
    execFileSync(requireTool('tcpdump'), ['-n', '--time-stamp-precision=nano', '-r', file, '-w', '-'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 28,
    }),
  );
}

test("export of several captures: mergecap's order to the ns, from the CLI and the tab alike", async () => {
  // a.pcap starts in 1970, so its late packets are 1.7e9 s after its first: a double there is 238 ns coarse.
  const a = path.join(tmp, 'a.pcap');
  const b = path.join(tmp, 'b.pcap');
  writeFileSync(
    a,
    writePcap({
      endian: 'le',
      resolution: 'ns',
      linkType: 1,
      snaplen: 65535,
      records: [
        { tsSec: 1, tsFrac: 0, data: frame(0) },
        { tsSec: LATE, tsFrac: 1, data: frame(1) },
        { tsSec: LATE, tsFrac: 3, data: frame(2) },
        { tsSec: LATE, tsFrac: 5, data: frame(3) },
      ],
    }),
  );
  writeFileSync(
    b,
    writePcap({
      endian: 'le',
      resolution: 'ns',
      linkType: 1,
      snaplen: 65535,
      records: [
        { tsSec: LATE, tsFrac: 0, data: frame(10) },
        { tsSec: LATE, tsFrac: 2, data: frame(11) },
        { tsSec: LATE, tsFrac: 4, data: frame(12) },
        { tsSec: LATE, tsFrac: 6, data: frame(13) },
      ],
    }),
  );
  const merged = path.join(tmp, 'mergecap.pcap');
  execFileSync(requireTool('mergecap'), ['-F', 'nsecpcap', '-w', merged, a, b]);
  const expected = records(merged);
  assert.equal(expected.length, 8);

  const out = path.join(tmp, 'cli.pcap');
  const run = await runCli(['export', a, b, '--format', 'pcap', '-o', out]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(records(out), expected, "the CLI writes mergecap's order");

  const workspace = new Workspace();
  await workspace.open(
    [a, b].map((p) => new File([readFileSync(p)], path.basename(p))),
    () => {},
  );
  const tab = path.join(tmp, 'tab.pcap');
  writeFileSync(tab, new Uint8Array(await (await workspace.exportBlob('pcap', 0, 8)).blob.arrayBuffer()));
  assert.deepEqual(records(tab), expected, "the tab writes mergecap's order");
  // And the list shows that order.
  const rows = await workspace.listRows(0, 8, 0);
  assert.deepEqual(
    rows.map((r) => `${r.capture}:${r.frame}`),
    ['0:1', '1:1', '0:2', '1:2', '0:3', '1:3', '0:4', '1:4'],
  );
});

test('on a tie the earlier file comes first, then frame order, from the CLI and the tab alike', async () => {
  const tied = [0, 1, 2].map((c) => {
    const file = path.join(tmp, `tie-${c}.pcap`);
    writeFileSync(
      file,
      writePcap({
        endian: 'le',
        resolution: 'ns',
        linkType: 1,
        snaplen: 65535,
        records: [0, 1].map((k) => ({ tsSec: LATE, tsFrac: 7, data: frame(10 * c + k) })),
      }),
    );
    return file;
  });
  // Each file's records as tcpdump reads them: file 0's two, then file 1's, then file 2's.
  const expected = tied.flatMap(records);
  const out = path.join(tmp, 'tie-cli.pcap');
  const run = await runCli(['export', ...tied, '--format', 'pcap', '-o', out]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(records(out), expected);
  const workspace = new Workspace();
  await workspace.open(
    tied.map((p) => new File([readFileSync(p)], path.basename(p))),
    () => {},
  );
  const tab = path.join(tmp, 'tie-tab.pcap');
  writeFileSync(tab, new Uint8Array(await (await workspace.exportBlob('pcap', 0, 6)).blob.arrayBuffer()));
  assert.deepEqual(records(tab), expected);
});
