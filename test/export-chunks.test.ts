/**
 * Exports larger than a chunk: the chunked stream holds exactly the bytes its parts name
 * (checked against a plain copy, part by part), in few reads that skip wide gaps; the
 * workspace's Blob export of a capture of many chunks holds, record for record, what
 * `tcpdump -w` writes, also for a filtered subset; progress counts up to the totals, and
 * Cancel stops an export with an AbortError.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { bytesSource, type ByteSource } from '../src/capture/byte-source.ts';
import type { ExportProgress } from '../src/export/plan-output.ts';
import type { Part } from '../src/export/capture-export.ts';
import { CHUNK_BYTES, partChunks } from '../src/export/part-stream.ts';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet } from '../kit/frames.ts';
import { pcapRecordKeys, requireTool } from './support/oracle.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-export-chunks-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A deterministic pseudo-random sequence (xorshift32). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function randomBytes(n: number, next: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 256) | 0;
  return out;
}

/** Counts the reads a source is asked for and the bytes they cover. */
function counted(source: ByteSource): ByteSource & { reads: number; bytesRead: number } {
  const c = {
    ...source,
    reads: 0,
    bytesRead: 0,
    async read(offset: number, length: number) {
      c.reads++;
      c.bytesRead += length;
      return source.read(offset, length);
    },
  };
  return c;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Uint8Array; sizes: number[] }> {
  const list: Uint8Array[] = [];
  for await (const c of chunks) list.push(c.slice());
  const bytes = new Uint8Array(list.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of list) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, sizes: list.map((c) => c.length) };
}

/** The obvious way: each part's bytes, one after the other. */
function plainCopy(parts: Part[], files: Uint8Array[]): Uint8Array {
  const pieces = parts.map((p) => (p instanceof Uint8Array ? p : files[p.capture].subarray(p.from, p.to)));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test("chunks hold exactly the parts' bytes: small and long ranges, out of order, from two sources", async () => {
  const next = random(7);
  const files = [randomBytes(40 * 2 ** 20, next), randomBytes(3 * 2 ** 20, next)];
  const parts: Part[] = [];
  for (let i = 0; i < 60_000; i++) {
    const capture = next() < 0.9 ? 0 : 1;
    const from = Math.floor(next() * (files[capture].length - 2000));
    parts.push(Uint8Array.of(i & 0xff, i >> 8), { capture, from, to: from + Math.floor(next() * 1500) });
    // Now and then a range longer than a chunk, as a pcap's run of its own records is.
    if (i % 20_000 === 0) parts.push({ capture: 0, from: 1000, to: 1000 + 2.5 * CHUNK_BYTES });
  }
  const sources = files.map((f, i) => counted(bytesSource(f, `file ${i}`)));
  const { bytes, sizes } = await collect(partChunks(parts, sources));
  assert.ok(Buffer.from(bytes).equals(Buffer.from(plainCopy(parts, files))), "the chunks are the parts' bytes in order");
  assert.ok(
    sizes.every((n) => n <= 2 * CHUNK_BYTES),
    `chunks of at most two chunk sizes: ${Math.max(...sizes)}`,
  );
  assert.ok(sizes.length < 40, `${sizes.length} chunks for ${bytes.length} bytes`);
});

test('a sparse selection is read around its packets, not across the gaps; a dense one in few large reads', async () => {
  const next = random(11);
  const file = randomBytes(64 * 2 ** 20, next);
  // One 100-byte packet every 4 MiB: reads must not cover the megabytes between them.
  const sparse: Part[] = [];
  for (let at = 0; at + 100 < file.length; at += 4 * 2 ** 20) sparse.push({ capture: 0, from: at, to: at + 100 });
  const a = counted(bytesSource(file));
  const out = await collect(partChunks(sparse, [a]));
  assert.ok(Buffer.from(out.bytes).equals(Buffer.from(plainCopy(sparse, [file]))));
  assert.equal(a.bytesRead, 100 * sparse.length, "only the packets' bytes are read");
  // Every other 100-byte packet of the whole file: a few reads of megabytes each.
  const dense: Part[] = [];
  for (let at = 0; at + 100 <= file.length; at += 200) dense.push({ capture: 0, from: at, to: at + 100 });
  const b = counted(bytesSource(file));
  const out2 = await collect(partChunks(dense, [b]));
  assert.ok(Buffer.from(out2.bytes).equals(Buffer.from(plainCopy(dense, [file]))));
  assert.ok(b.reads <= 16, `${b.reads} reads for ${dense.length} packets`);
});

test("a source shorter than the capture's offsets say is refused, naming it", async () => {
  const source = bytesSource(new Uint8Array(1000), 'changed.pcap');
  await assert.rejects(collect(partChunks([{ capture: 0, from: 900, to: 1100 }], [source])), /changed\.pcap: 200 bytes expected at offset 900, 100 there/);
});

/** A capture of many chunks: frames of 60 to 1,400 bytes, one in seven ARP. */
function bigCapture(endian: 'le' | 'be'): string {
  const next = random(endian === 'le' ? 3 : 5);
  const records = [];
  for (let i = 0; i < 40_000; i++) {
    const frame = ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: '02:00:00:00:00:01',
      etherType: i % 7 === 0 ? 0x0806 : 0x88b5,
      payload: randomBytes(46 + Math.floor(next() * 1354), next),
    });
    records.push({ tsSec: 1_700_000_000 + Math.floor(i / 1000), tsFrac: (i % 1000) * 997, data: frame });
  }
  const file = path.join(tmp, `big-${endian}.pcap`);
  writeFileSync(file, writePcap({ endian, resolution: 'us', linkType: 1, snaplen: 65535, records }));
  return file;
}

function tcpdumpWrites(file: string, expression?: string): string[] {
  const out = path.join(tmp, `tcpdump-${Math.random().toString(36).slice(2)}.pcap`);
  execFileSync(requireTool('tcpdump'), ['-r', file, '-w', out, ...(expression ? [expression] : [])], { stdio: 'ignore' });
  return pcapRecordKeys(readFileSync(out));
}

/** tcpdump's records of a file (written again by tcpdump: pcapng becomes pcap). */
async function recordsOf(blob: Blob): Promise<string[]> {
  const file = path.join(tmp, `ours-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  return tcpdumpWrites(file);
}

for (const endian of ['le', 'be'] as const) {
  test(`a capture of many chunks (${endian}) exports, whole and filtered, as pcap and pcapng, as tcpdump -w writes it`, async () => {
    const file = bigCapture(endian);
    assert.ok(readFileSync(file).length > 3 * CHUNK_BYTES);
    const workspace = new Workspace();
    await workspace.open([new File([readFileSync(file)], 'big.pcap')], () => {});
    const all = tcpdumpWrites(file);
    for (const format of ['pcap', 'pcapng'] as const) {
      const progress: ExportProgress[] = [];
      const { blob, packets } = await workspace.exportBlob(format, 0, Infinity, (p) => progress.push(p));
      assert.equal(packets, all.length);
      assert.deepEqual(await recordsOf(blob), all, `${format}: tcpdump's records`);
      const last = progress[progress.length - 1];
      assert.deepEqual([last.done, last.packets, last.bytes], [true, all.length, blob.size], `${format}: the last progress reports the whole export`);
      assert.equal(last.bytesTotal, blob.size, `${format}: the size was known from the start`);
      assert.ok(
        progress.every((p, i) => i === 0 || (p.bytes >= progress[i - 1].bytes && p.packets >= progress[i - 1].packets)),
        `${format}: progress only counts up`,
      );
    }
    const arp = tcpdumpWrites(file, 'arp');
    const outcome = await workspace.applyFilter('arp');
    assert.equal(outcome?.matched, arp.length);
    for (const format of ['pcap', 'pcapng'] as const)
      assert.deepEqual(await recordsOf((await workspace.exportBlob(format, 0, Infinity)).blob), arp, `arp as ${format}`);
  });
}

test('Cancel stops an export with an AbortError; the next export runs', async () => {
  const workspace = new Workspace();
  await workspace.open([new File([readFileSync(bigCapture('be'))], 'big.pcap')], () => {});
  const cancelled = workspace.exportBlob('pcapng', 0, Infinity, () => workspace.cancelExport());
  await assert.rejects(cancelled, (e: Error) => e.name === 'AbortError');
  const { packets } = await workspace.exportBlob('pcapng', 0, Infinity);
  assert.equal(packets, 40_000);
});

/** A stand-in for a picked file: the chunks written, and whether it was closed or aborted. */
function fakeFile(onWrite = () => {}) {
  const written: Uint8Array[] = [];
  const state = { closed: false, aborted: false };
  return {
    written,
    state,
    async createWritable() {
      return {
        async write(chunk: Uint8Array) {
          written.push(chunk.slice());
          onWrite();
        },
        async close() {
          state.closed = true;
        },
        async abort() {
          state.aborted = true;
        },
      };
    },
    async getFile() {
      return new Blob(written as Uint8Array<ArrayBuffer>[]);
    },
  };
}

test('to a picked file: the same bytes as the Blob, closed at the end; a cancelled one aborted, never closed', async () => {
  const workspace = new Workspace();
  await workspace.open([new File([readFileSync(bigCapture('be'))], 'big.pcap')], () => {});
  const { blob } = await workspace.exportBlob('pcapng', 0, Infinity);
  const file = fakeFile();
  const written = await workspace.exportBlob('pcapng', 0, Infinity, undefined, file);
  assert.ok(file.written.length > 1, 'written in several chunks');
  assert.deepEqual(file.state, { closed: true, aborted: false });
  assert.ok(Buffer.from(await written.blob.arrayBuffer()).equals(Buffer.from(await blob.arrayBuffer())), "the file holds the Blob export's bytes");

  // Cancelled once the first chunk is written.
  const cancelled = fakeFile(() => workspace.cancelExport());
  await assert.rejects(workspace.exportBlob('pcapng', 0, Infinity, undefined, cancelled), (e: Error) => e.name === 'AbortError');
  assert.equal(cancelled.written.length, 1);
  assert.deepEqual(cancelled.state, { closed: false, aborted: true });
});
