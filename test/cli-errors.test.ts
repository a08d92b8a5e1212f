/**
 * The CLI's one error path: every input problem is one line on stderr and exit 2, never a
 * stack trace; the line names the first problem. A gzip capture's decompressed copy leaves
 * nothing behind in the temporary folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { writePcap } from '../kit/pcap-writer.ts';
import { runCli } from './support/run-cli.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-cli-errors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const file = (name: string, bytes: Uint8Array | string) => {
  const at = path.join(tmp, name);
  writeFileSync(at, bytes);
  return at;
};
const records = Array.from({ length: 10 }, (_, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data: new Uint8Array(60) }));
const capture = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
const good = file('good.pcap', capture);
const gz = file('good.pcap.gz', gzipSync(capture));
const out = path.join(tmp, 'out.pcap');
const marksFile = (name: string, json: string) => file(name, json);

const CASES: [string, string[], RegExp][] = [
  ['a missing file', ['stats', path.join(tmp, 'missing.pcap')], /^.*missing\.pcap: no such file or directory \(ENOENT\)$/],
  ['a folder', ['count', tmp, '--filter', 'ip'], /^.*: illegal operation on a directory.* \(EISDIR\)$/],
  ['not a capture', ['findings', file('text.pcap', 'hello, world')], /text\.pcap: not a pcap, pcapng or gzip-compressed capture \(starts with 68 65 6c 6c\)$/],
  ['a gzip of no capture', ['conversations', file('text.gz', gzipSync('hello, world'))], /text\.gz: gzip file does not hold a capture/],
  ['a bad filter', ['count', good, '--filter', 'ip and ('], /^filter: /],
  ['a bad export filter', ['export', good, '--filter', 'port 99999999', '-o', out], /^filter: /],
  ['a bad time', ['export', good, '--from', 'yesterday', '-o', out], /^time "yesterday": expected 2017-12-05T05:12:51\.447649Z or epoch seconds$/],
  ['an impossible date', ['export', good, '--to', '2017-13-45T99:00:00Z', '-o', out], /^time "2017-13-45T99:00:00Z": expected/],
  ['marks that are not JSON', ['export', good, '--marks', marksFile('m1.json', '{"marks": ['), '-o', out], /m1\.json: not JSON \(/],
  ['marks that are not a list', ['export', good, '--marks', marksFile('m2.json', '{"marks": {"frame": 1}}'), '-o', out], /m2\.json: marks is not a list$/],
  [
    'a mark with no frame',
    ['export', good, '--marks', marksFile('m3.json', '{"marks": [{"frame": 1}, {"note": "x"}]}'), '-o', out],
    /m3\.json: marks\[1\]\.frame is not a whole number >= 1$/,
  ],
  [
    'a fractional frame',
    ['export', good, '--marks', marksFile('m4.json', '{"marks": [{"frame": 1.5}]}'), '-o', out],
    /m4\.json: marks\[0\]\.frame is not a whole number >= 1$/,
  ],
  [
    'a note that is not text',
    ['export', good, '--marks', marksFile('m5.json', '{"marks": [{"frame": 1, "note": 7}]}'), '-o', out],
    /m5\.json: marks\[0\]\.note is not a text$/,
  ],
  [
    'a range with a bad time',
    ['export', good, '--marks', marksFile('m6.json', '{"ranges": [{"from": "1700000000", "to": "soon"}]}'), '-o', out],
    /m6\.json: ranges\[0\]\.to: time "soon": expected/,
  ],
  [
    'marks that are a list',
    ['export', good, '--marks', marksFile('m7.json', '[1, 2]'), '-o', out],
    /m7\.json: expected an object with "marks" and\/or "ranges"$/,
  ],
  ['a missing marks file', ['export', good, '--marks', path.join(tmp, 'none.json'), '-o', out], /none\.json: no such file or directory \(ENOENT\)$/],
  [
    'a pcap of two link types',
    ['export', good, file('raw.pcap', writePcap({ endian: 'le', resolution: 'us', linkType: 101, snaplen: 65535, records })), '--format', 'pcap', '-o', out],
    /^export: these packets have 2 link types; pcap holds one: export as pcapng$/,
  ],
  ['an output in a missing folder', ['export', good, '-o', path.join(tmp, 'no', 'such', 'out.pcap')], /such.out\.pcap: no such file or directory \(ENOENT\)$/],
];

for (const [what, args, line] of CASES) {
  test(`${what}: one line, exit 2`, async () => {
    const run = await runCli(args);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
    assert.match(run.stderr.trimEnd(), line);
    assert.doesNotMatch(run.stderr, /\bat .*:\d+:\d+|Error:/, 'no stack trace');
  });
}

test('a good capture still exits 0 (the cases above fail for their input, not for the command)', async () => {
  const run = await runCli([
    'export',
    good,
    '--marks',
    marksFile('ok.json', '{"marks": [{"frame": 2, "note": "n"}], "ranges": [{"from": "1700000005", "to": "2023-11-14T22:13:27Z", "label": "l"}]}'),
    '-o',
    out,
  ]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /out\.pcap: 4 packets, /);
});

test('every command on a gzip capture leaves nothing in the temporary folder, also when it fails', async () => {
  const own = path.join(tmp, 'own-tmp');
  mkdirSync(own);
  const env = { TMPDIR: own };
  for (const args of [
    ['count', gz, '--filter', 'ether[12:2] = 0x0806'],
    ['findings', gz],
    ['export', gz, '-o', out],
    ['count', gz, '--filter', 'ip', '--max-packets', '3'],
  ]) {
    await runCli(args, env);
    assert.deepEqual(readdirSync(own), [], args.join(' '));
  }
});
