/**
 * `export` never touches its inputs: an output that is one of them (the same path, a
 * relative spelling, a symlink, a hard link; the marks file too) is refused by device and
 * inode before anything is opened, and a failed export leaves no file and keeps what the
 * output held before.
 */
import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { writeAtomically } from '../src/cli/output-file.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { runCli } from './support/run-cli.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-cli-export-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const records = Array.from({ length: 20 }, (_, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: i, data: new Uint8Array(60).fill(i) }));
const capture = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
const input = path.join(tmp, 'input.pcap');
writeFileSync(input, capture);
const gzInput = path.join(tmp, 'input.pcap.gz');
writeFileSync(gzInput, gzipSync(capture));
const marks = path.join(tmp, 'marks.json');
writeFileSync(marks, JSON.stringify({ marks: [{ frame: 2 }] }));
symlinkSync(input, path.join(tmp, 'link.pcap'));
linkSync(input, path.join(tmp, 'hard.pcap'));

const refusals: [string, string[], string][] = [
  ['the same path', [input], input],
  ['a relative spelling of it', [input], path.relative(process.cwd(), input)],
  ['a symlink to it', [input], path.join(tmp, 'link.pcap')],
  ['a hard link to it', [input], path.join(tmp, 'hard.pcap')],
  ['the input given through its symlink, the output by path', [path.join(tmp, 'link.pcap')], input],
  ['the second of two inputs', [gzInput, input], path.join(tmp, 'hard.pcap')],
  ['the gzip input itself', [gzInput], gzInput],
];

for (const [what, inputs, out] of refusals) {
  test(`export refuses an output that is ${what}, and the input's bytes stay`, async () => {
    const before = readFileSync(input);
    const run = await runCli(['export', ...inputs, '-o', out]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^export: the output .* is the input .* \(the same file\); choose another output\n$/);
    assert.deepEqual(readFileSync(input), before);
    assert.deepEqual(readFileSync(gzInput), gzipSync(capture));
    assert.deepEqual(leftovers(), []);
  });
}

test('export refuses the marks file as its output', async () => {
  const run = await runCli(['export', input, '--marks', marks, '-o', marks]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /is the input .*marks\.json/);
  assert.deepEqual(JSON.parse(readFileSync(marks, 'utf8')), { marks: [{ frame: 2 }] });
});

test('export through a symlink writes the file it names, and replaces an existing output whole', async () => {
  const target = path.join(tmp, 'target.pcap');
  writeFileSync(target, 'old contents');
  const link = path.join(tmp, 'out-link.pcap');
  symlinkSync(target, link);
  const run = await runCli(['export', gzInput, '-o', link]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(readFileSync(target), Buffer.from(capture));
  assert.deepEqual(readFileSync(link), Buffer.from(capture));
  assert.deepEqual(leftovers(), []);
});

test('a failing export leaves no file, and an existing output as it was', async () => {
  const out = path.join(tmp, 'failed.pcap');
  const notCapture = path.join(tmp, 'notes.txt');
  writeFileSync(notCapture, 'not a capture at all');
  // The second input is refused after the first was read.
  const fresh = await runCli(['export', input, notCapture, '-o', out]);
  assert.deepEqual([fresh.status, fresh.stderr], [2, `${notCapture}: not a pcap, pcapng or gzip-compressed capture (starts with 6e 6f 74 20)\n`]);
  assert.throws(() => readFileSync(out), { code: 'ENOENT' });
  writeFileSync(out, 'keep me');
  const over = await runCli(['export', input, notCapture, '-o', out]);
  assert.equal(over.status, 2);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  assert.deepEqual(leftovers(), []);
});

test('writeAtomically: a stream that fails mid-way leaves no file and the old output whole', async () => {
  const out = path.join(tmp, 'midway.pcap');
  async function* failing() {
    yield new Uint8Array(1 << 20);
    throw new Error('the input went away');
  }
  await assert.rejects(writeAtomically(out, failing()), /went away/);
  assert.throws(() => readFileSync(out), { code: 'ENOENT' });
  writeFileSync(out, 'previous export');
  await assert.rejects(writeAtomically(out, failing()), /went away/);
  assert.equal(readFileSync(out, 'utf8'), 'previous export');
  assert.deepEqual(leftovers(), []);
});

/** Partial files the writer would leave beside its output. */
function leftovers(): string[] {
  return readdirSync(tmp).filter((name) => name.endsWith('.partial'));
}
