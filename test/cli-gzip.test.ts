/**
 * Every CLI command gives the same answer on a capture and on its gzip form: the gzip form
 * re-reads packet bytes (byte filters, findings, export) from its decompressed copy, never
 * from the compressed file. The CLI runs as a process, as users run it; counts are checked
 * against tcpdump on the plain file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writePcap, type PcapRecord } from '../kit/pcap-writer.ts';
import { arp, ethernet, ipv4, tcp } from '../kit/frames.ts';
import { pcapRecordKeys, requireTool, sharedCapturesDir, tcpdumpFrames } from './support/oracle.ts';
import { runCli, type CliRun } from './support/run-cli.ts';

const root = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'pt-cli-gzip-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const plainDir = path.join(tmp, 'plain');
const gzipDir = path.join(tmp, 'gzip');
mkdirSync(plainDir);
mkdirSync(gzipDir);

const GENERATED = 'generated-arp-tcp.pcap';
const BYTE_FILTERS = ['ether[12:2] = 0x0806', 'tcp[13] & 2 != 0', 'ether[0] & 1 != 0', 'ip[9] = 17'];

/**
 * A burst of 1,500 byte-identical frames (the repeated-frames finding compares their bytes),
 * ARP asked again and again, and TCP handshakes.
 */
function generated(): Uint8Array {
  const records: PcapRecord[] = [];
  const t0 = 1_700_000_000;
  const at = (us: number, data: Uint8Array) => records.push({ tsSec: t0 + Math.floor(us / 1e6), tsFrac: us % 1e6, data });
  const copy = ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:09',
    etherType: 0x0806,
    payload: arp({ op: 2, senderMac: '02:00:00:00:00:09', senderIp: '10.0.0.9', targetMac: 'ff:ff:ff:ff:ff:ff', targetIp: '10.0.0.9' }),
  });
  for (let i = 0; i < 1500; i++) at(2_000_000 + 500 * i, copy);
  const who = ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:01',
    etherType: 0x0806,
    payload: arp({ op: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.99' }),
  });
  for (let i = 0; i < 100; i++) at(250_000 * i + 7, who);
  for (let i = 0; i < 40; i++) {
    const seq = 1000 * i;
    const steps = [
      ['10.0.0.1', '10.0.0.2', 'S', 40000 + i, 80],
      ['10.0.0.2', '10.0.0.1', 'SA', 80, 40000 + i],
      ['10.0.0.1', '10.0.0.2', 'A', 40000 + i, 80],
    ] as const;
    steps.forEach(([src, dst, flags, sport, dport], k) => {
      const segment = tcp({ sport, dport, seq, ack: flags === 'S' ? 0 : seq + 1, flags, window: 65535 });
      at(
        600_000 * i + 100 * k + 13,
        ethernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', etherType: 0x0800, payload: ipv4({ src, dst, proto: 6, payload: segment }) }),
      );
    });
  }
  records.sort((x, y) => x.tsSec - y.tsSec || x.tsFrac - y.tsFrac);
  return writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
}

/** The same capture twice, under the same name: plain in one folder, gzip in the other (names appear in outputs). */
function both(name: string, bytes: Uint8Array): { plain: string; gzip: string } {
  const plain = path.join(plainDir, name);
  const gzip = path.join(gzipDir, name);
  writeFileSync(plain, bytes);
  writeFileSync(gzip, gzipSync(bytes));
  return { plain, gzip };
}

/** stats --json without what measures the run (time, memory) rather than the capture; format says .gz on one side. */
function statsAnswer(stdout: string): unknown {
  const { ingestMs: _ms, storeBytes: _bytes, bytesPerPacket: _per, ...rest } = JSON.parse(stdout);
  return { ...rest, files: rest.files.map((f: { format: string }) => ({ ...f, format: f.format.replace(/\.gz$/, '') })) };
}

/** Each command on one form of the capture, as text to compare (exports as their bytes, hex). */
async function answers(file: string, out: string): Promise<Record<string, unknown>> {
  const filters = BYTE_FILTERS.flatMap((f) => ['--filter', f]);
  const result: Record<string, unknown> = {};
  const stats = await runCli(['stats', file, '--json']);
  result.stats = stats.status === 0 ? statsAnswer(stats.stdout) : stats;
  result.count = await runCli(['count', file, ...filters]);
  result.frames = await runCli(['count', file, '--filter', BYTE_FILTERS[0], '--frames']);
  result.conversations = await runCli(['conversations', file, '--json']);
  result.etherConversations = await runCli(['conversations', file, '--json', '--by', 'ether']);
  result.findings = await runCli(['findings', file, '--json']);
  for (const [key, args] of [
    ['pcap', ['--format', 'pcap']],
    ['pcapng', ['--format', 'pcapng']],
    ['arpPcapng', ['--format', 'pcapng', '--filter', BYTE_FILTERS[0]]],
  ] as const) {
    const target = `${out}.${key}`;
    const run = await runCli(['export', file, ...args, '-o', target]);
    result[key] = { status: run.status, bytes: run.status === 0 ? readFileSync(target).toString('hex') : run.stderr };
  }
  return result;
}

function cases(): { name: string; bytes: Uint8Array }[] {
  const list = [{ name: GENERATED, bytes: generated() }];
  const dir = sharedCapturesDir();
  if (!dir) {
    console.log('../shared/captures not found: the gzip comparison runs on the generated capture only');
    return list;
  }
  for (const name of ['LACP.pcap', 'HSRP_failover.pcap', 'hsrpv2-election.pcapng', 'arp-oobr.pcap', 'vlan-pcp-dei.pcapng']) {
    list.push({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) });
  }
  return list;
}

for (const c of cases()) {
  test(`every command: the same answer on ${c.name} and on its gzip form; counts as tcpdump counts`, async () => {
    const { plain, gzip } = both(c.name, c.bytes);
    const [onPlain, onGzip] = await Promise.all([answers(plain, path.join(tmp, `plain-${c.name}`)), answers(gzip, path.join(tmp, `gzip-${c.name}`))]);
    for (const key of Object.keys(onPlain)) assert.deepEqual(onGzip[key], onPlain[key], `${key} on ${c.name}`);
    const ours = (onPlain.count as CliRun).stdout.trim().split('\n').map(Number);
    const theirs = await Promise.all(BYTE_FILTERS.map(async (f) => (await tcpdumpFrames(plain, f)).frames.length));
    assert.deepEqual(ours, theirs, `counts of ${BYTE_FILTERS.join(' | ')} as tcpdump -r counts`);
    assert.ok(
      ours.some((n) => n > 0),
      'a byte filter matches something, so the comparison can fail',
    );
    if (c.name === GENERATED)
      assert.ok(
        JSON.parse((onPlain.findings as CliRun).stdout).findings.some((f: { kind: string }) => f.kind === 'repeated-frames'),
        'findings that re-read bytes find something',
      );
  });
}

test('the demo: ARP by bytes counts on field-story-1.pcap.gz what tcpdump counts on the decompressed file', async () => {
  const demo = path.join(root, 'public/demo/field-story-1.pcap.gz');
  const plain = path.join(tmp, 'field-story-1.pcap');
  writeFileSync(plain, gunzipSync(readFileSync(demo)));
  const run = await runCli(['count', demo, '--filter', BYTE_FILTERS[0]]);
  assert.equal(run.status, 0, run.stderr);
  const tcpdump = await new Promise<Buffer>((resolve, reject) =>
    execFile(requireTool('tcpdump'), ['-r', plain, '-w', '-', BYTE_FILTERS[0]], { encoding: 'buffer', maxBuffer: 1 << 30 }, (e, out) =>
      e ? reject(e) : resolve(out),
    ),
  );
  assert.equal(Number(run.stdout.trim()), pcapRecordKeys(tcpdump).length);
});
