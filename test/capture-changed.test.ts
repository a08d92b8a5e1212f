/**
 * A capture changed on disk after it was opened: re-reads (details, hex, export) stop with
 * CaptureChanged instead of returning other bytes. Under Node the open handle keeps a
 * removed or replaced file readable, so only writes to the file itself count as a change.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { blobSource } from '../src/capture/byte-source.ts';
import { CaptureChanged } from '../src/capture/capture-changed.ts';
import { CHANGE_CHECK_MS, nodeFileSource } from '../src/capture/node-file-source.ts';
import { ingest } from '../src/store/capture.ts';
import { writePcap } from '../kit/pcap-writer.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-changed-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const records = Array.from({ length: 40 }, (_, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data: new Uint8Array(60).fill(i) }));
const capture = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
const pastInterval = () => new Promise((resolve) => setTimeout(resolve, CHANGE_CHECK_MS + 20));

/** A fresh copy, ingested; returns the source and how to read row i's bytes. */
async function opened(name: string) {
  const file = path.join(tmp, name);
  writeFileSync(file, capture);
  const source = await nodeFileSource(file);
  const { capture: c } = await ingest(source, { forViewer: false });
  const row = (i: number) => source.read(c.store.offset[i], c.store.capLen[i]);
  return { file, source, row };
}

const changed = (name: string, what: RegExp) => (error: unknown) => {
  assert.ok(error instanceof CaptureChanged, String(error));
  assert.match(error.message, new RegExp(`^${name} changed on disk since it was opened \\(${what.source}\\); reads stopped$`));
  return true;
};

test('reads before a change return the bytes ingest saw', async () => {
  const { source, row } = await opened('steady.pcap');
  await pastInterval();
  assert.deepEqual(await row(7), new Uint8Array(60).fill(7));
  await source.close?.();
});

test('appended to after ingest: the next read stops, and every read after it', async () => {
  const { file, source, row } = await opened('appended.pcap');
  appendFileSync(file, new Uint8Array(100));
  await pastInterval();
  await assert.rejects(row(3), changed('appended.pcap', new RegExp(`size ${capture.length} -> ${capture.length + 100} bytes`)));
  await assert.rejects(row(4), CaptureChanged);
  await source.close?.();
});

test('truncated after ingest: a short read stops at once, whatever the interval', async () => {
  const { file, source, row } = await opened('truncated.pcap');
  truncateSync(file, 1000);
  await assert.rejects(row(39), changed('truncated.pcap', new RegExp(`size ${capture.length} -> 1000 bytes`)));
  await source.close?.();
});

test('rewritten in place with the same size: the modified time says so', async () => {
  const { file, source, row } = await opened('rewritten.pcap');
  const other = capture.slice();
  other.fill(0xee, 24);
  writeFileSync(file, other);
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  await pastInterval();
  await assert.rejects(row(0), changed('rewritten.pcap', /modified time/));
  await source.close?.();
});

test('removed, or replaced by a rename: the open handle still reads the bytes ingest saw', async () => {
  const removed = await opened('removed.pcap');
  unlinkSync(removed.file);
  const replaced = await opened('replaced.pcap');
  const other = path.join(tmp, 'other.pcap');
  writeFileSync(other, new Uint8Array(capture.length).fill(0xee));
  renameSync(other, replaced.file);
  await pastInterval();
  assert.deepEqual(await removed.row(5), new Uint8Array(60).fill(5));
  assert.deepEqual(await replaced.row(5), new Uint8Array(60).fill(5));
  await removed.source.close?.();
  await replaced.source.close?.();
});

test("the browser: a File whose read fails (Chromium's NotReadableError) stops as CaptureChanged", async () => {
  const file = new File([capture as BlobPart], 'tab.pcap');
  // What Chromium's File does once its file changed on disk: size as opened, reads refused.
  const failing = {
    size: file.size,
    slice: () => ({ arrayBuffer: () => Promise.reject(new DOMException('The requested file could not be read', 'NotReadableError')) }),
  } as unknown as Blob;
  await assert.rejects(blobSource(failing, 'tab.pcap').read(0, 24), changed('tab.pcap', /the browser refused to read it: NotReadableError/));
  assert.deepEqual(await blobSource(file, 'tab.pcap').read(0, 4), capture.subarray(0, 4));
});
