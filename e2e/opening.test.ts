/**
 * Opening as a new user does it: Open (and a plain drop) replaces what is open, the demo
 * always; Add (and the drop target "add to this view") merges; × closes one capture. A file
 * given while the demo loads replaces it; one given during the user's own read waits its
 * turn and is not lost. A read cancelled and started again leaves one full copy.
 */
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createGzip } from 'node:zlib';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, udp } from '../kit/frames.ts';
import { tsharkFields } from '../test/support/oracle.ts';
import type { Page } from 'playwright-core';
import { idle, opened, openApp } from './support/app.ts';
import { screenshotsDir, sharedSession } from './support/browser.ts';

const session = sharedSession();
const work = mkdtempSync(join(tmpdir(), 'pt-e2e-opening-'));

function frame(i: number): Uint8Array {
  return ethernet({
    dst: '00:00:0c:9f:f0:01',
    src: '52:54:00:ab:cd:ef',
    etherType: 0x0800,
    payload: ipv4({
      src: '10.7.0.1',
      dst: `10.7.1.${1 + (i % 250)}`,
      proto: 17,
      payload: udp({ sport: 40000 + (i % 7), dport: 123, payload: new Uint8Array(48) }),
    }),
  });
}

/** A small capture of `count` UDP packets, and tshark's count of it. */
async function small(name: string, count: number, startSec: number): Promise<{ path: string; packets: number }> {
  const path = join(work, name);
  const records = Array.from({ length: count }, (_, i) => ({ tsSec: startSec + Math.floor(i / 100), tsFrac: (i % 100) * 10_000, data: frame(i) }));
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  return { path, packets: (await tsharkFields(path, ['frame.number'])).rows.length };
}

/** 6 M small packets (58 bytes a record, 350 MB inflated) that gzip to a few MB: the read takes seconds, the file stays small. */
const LONG_PACKETS = 6_000_000;
let longCapture: Promise<string> | null = null;
function long(): Promise<string> {
  longCapture ??= (async () => {
    const path = join(work, 'long.pcap.gz');
    const gzip = createGzip({ level: 1 });
    const out = createWriteStream(path);
    gzip.pipe(out);
    const data = ethernet({
      dst: '00:00:0c:9f:f0:01',
      src: '52:54:00:ab:cd:ef',
      etherType: 0x0800,
      payload: ipv4({ src: '10.7.0.1', dst: '10.7.1.1', proto: 17, payload: udp({ sport: 40000, dport: 123, payload: new Uint8Array(0) }) }),
    });
    gzip.write(writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records: [] }));
    const record = Buffer.alloc(16 + data.length);
    const batch = Buffer.alloc(record.length * 10_000);
    for (let i = 0; i < LONG_PACKETS; i += 10_000) {
      for (let k = 0; k < 10_000; k++) {
        record.writeUInt32LE(1_700_000_000 + Math.floor((i + k) / 1_000_000), 0);
        record.writeUInt32LE((i + k) % 1_000_000, 4);
        record.writeUInt32LE(data.length, 8);
        record.writeUInt32LE(data.length, 12);
        record.set(data, 16);
        record.copy(batch, k * record.length);
      }
      if (!gzip.write(batch)) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
    }
    gzip.end();
    await new Promise<void>((resolve) => out.on('close', () => resolve()));
    return path;
  })();
  return longCapture;
}

const count = async (page: Page) => Number((await page.getByTestId('packet-count').textContent())!.replace(/,/g, ''));
const stripNames = (page: Page) => page.locator('.captures li strong').allTextContents();

/** Drops files on `target` as a drag from the desktop would: dragenter on the page (the drop targets appear), then dragover and drop. */
async function drop(page: Page, target: string, files: string[]): Promise<void> {
  const contents = files.map((path) => ({ name: path.split('/').pop()!, base64: readFileSync(path).toString('base64') }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, contents);
  await page.dispatchEvent('.app', 'dragenter', { dataTransfer: transfer });
  await page.locator(target).waitFor();
  await page.dispatchEvent(target, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
}

test('a capture picked 300 ms after a first visit loads shows that capture alone, no demo', async () => {
  const mine = await small('at-300-ms.pcap', 2500, 1_700_000_000);
  const page = await openApp(session.browser(), session.url(), { firstVisit: true, width: 1440, height: 900 });
  // 300 ms after the page started loading, by its own clock: the demo is still on its way or being read.
  await page.waitForFunction(() => performance.now() >= 300);
  await page.getByTestId('file-input').setInputFiles(mine.path);
  assert.equal(await opened(page, 'at-300-ms.pcap'), mine.packets);
  await idle(page);
  assert.deepEqual(await stripNames(page), ['at-300-ms.pcap']);
  assert.equal(await count(page), mine.packets, 'the demo did not come after it');
  await page.close();
});

test('a capture picked after the demo has loaded replaces it: that capture alone', async () => {
  const mine = await small('after-demo.pcap', 1800, 1_700_000_000);
  const page = await openApp(session.browser(), session.url(), { firstVisit: true, width: 1440, height: 900 });
  await opened(page, 'field-story-1.pcap.gz');
  await page.getByTestId('file-input').setInputFiles(mine.path);
  assert.equal(await opened(page, 'after-demo.pcap'), mine.packets);
  assert.deepEqual(await stripNames(page), ['after-demo.pcap']);
  // The Demo button opens the demo alone, in its place.
  await page.getByRole('button', { name: 'Demo', exact: true }).click();
  await page.locator('.captures li').filter({ hasText: 'after-demo.pcap' }).waitFor({ state: 'detached' });
  await opened(page, 'field-story-1.pcap.gz');
  assert.deepEqual(await stripNames(page), ['field-story-1.pcap.gz']);
  await page.close();
});

test('Add merges into what is open; × closes one capture, the last one leaves the empty page', async () => {
  const a = await small('first.pcap', 1200, 1_700_000_000);
  const b = await small('second.pcap', 700, 1_700_000_030);
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(a.path);
  assert.equal(await opened(page, 'first.pcap'), a.packets);
  await page.getByTestId('add-input').setInputFiles(b.path);
  await opened(page, 'second.pcap');
  assert.equal(await count(page), a.packets + b.packets);
  assert.deepEqual(await stripNames(page), ['first.pcap', 'second.pcap']);
  await page.getByTestId('capture-close').first().click();
  await page.locator('.captures li').filter({ hasText: 'first.pcap' }).waitFor({ state: 'detached' });
  await idle(page);
  assert.equal(await count(page), b.packets);
  assert.deepEqual(await stripNames(page), ['second.pcap']);
  await page.getByTestId('capture-close').first().click();
  await page.getByTestId('empty').waitFor();
  assert.equal(await page.locator('.captures').count(), 0);
  await page.close();
});

test("files dropped during the user's own read are not lost: added after it, or opened at once in its place", async () => {
  const path = await long();
  const extra = await small('dropped.pcap', 900, 1_700_000_000);
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  await page.getByTestId('ingest-progress').waitFor();
  await drop(page, '[data-testid="drop-add"]', [extra.path]);
  const waiting = page.getByTestId('waiting');
  await waiting.filter({ hasText: 'dropped.pcap opens when long.pcap.gz is read, added to what is open.' }).waitFor();
  await opened(page, 'long.pcap.gz', 'dropped.pcap');
  assert.equal(await count(page), LONG_PACKETS + extra.packets);
  assert.deepEqual(await stripNames(page), ['long.pcap.gz', 'dropped.pcap']);
  await waiting.waitFor({ state: 'detached' });

  // A plain drop during a read waits to replace it; Open now cancels the read and opens it in its place.
  await page.getByTestId('file-input').setInputFiles(path);
  await page.getByTestId('ingest-progress').waitFor();
  await drop(page, '[data-testid="drop-open"]', [extra.path]);
  await waiting.filter({ hasText: 'in place of what is open' }).waitFor();
  await page.screenshot({ path: join(screenshotsDir, 'drop-during-read.png') });
  await waiting.getByRole('button', { name: 'Open now' }).click();
  await page.locator('.captures li').filter({ hasText: 'long.pcap.gz' }).waitFor({ state: 'detached' });
  await opened(page, 'dropped.pcap');
  await idle(page);
  assert.deepEqual(await stripNames(page), ['dropped.pcap']);
  assert.equal(await count(page), extra.packets);
  await page.close();
});

test("a file given while the first visit's demo loads opens alone: not dropped, not merged with the demo", async () => {
  const path = join(work, 'mine.pcap');
  const records = Array.from({ length: 3000 }, (_, i) => ({ tsSec: 1_700_000_000 + Math.floor(i / 100), tsFrac: (i % 100) * 10_000, data: frame(i) }));
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  const page = await openApp(session.browser(), session.url(), { firstVisit: true, width: 1440, height: 900 });
  await page.getByTestId('ingest-progress').waitFor();
  await page.getByTestId('file-input').setInputFiles(path);
  assert.equal(await opened(page, 'mine.pcap'), (await tsharkFields(path, ['frame.number'])).rows.length);
  await page.locator('.captures li').filter({ hasText: 'field-story-1' }).waitFor({ state: 'detached' });
  assert.equal(await page.locator('.captures li').count(), 1);
  await page.close();
});

test('Cancel, then the same file again: one full copy, no duplicate packets', async () => {
  const path = await long();
  const count = LONG_PACKETS;
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  const progress = page.getByTestId('ingest-progress');
  await progress.getByRole('button', { name: /Cancel/ }).click();
  await page.locator('.captures li').filter({ hasText: 'cancelled' }).waitFor({ timeout: 120_000 });
  await progress.waitFor({ state: 'detached' });
  const partial = Number((await page.getByTestId('packet-count').textContent())!.replace(/,/g, ''));
  assert.ok(partial < count, `cancelled at ${partial}`);
  // Added again: the full read takes the place of the partial copy.
  await page.getByTestId('add-input').setInputFiles(path);
  await page.locator('.captures li').filter({ hasText: 'cancelled' }).waitFor({ state: 'detached', timeout: 120_000 });
  await progress.waitFor({ state: 'detached', timeout: 120_000 });
  assert.equal(Number((await page.getByTestId('packet-count').textContent())!.replace(/,/g, '')), count);
  assert.equal(await page.locator('.captures li').count(), 1);
  await page.screenshot({ path: join(screenshotsDir, 'reopened-after-cancel.png') });
  await page.close();
});

test('the same file opened twice: one set of marks, shown on both copies and saved once', async () => {
  const path = join(work, 'twice.pcap');
  const records = Array.from({ length: 200 }, (_, i) => ({ tsSec: 1_700_000_100 + Math.floor(i / 10), tsFrac: (i % 10) * 100_000, data: frame(i) }));
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'twice.pcap');
  await page.getByTestId('add-input').setInputFiles(path);
  await page.locator('.captures li').nth(1).waitFor();
  await page.getByTestId('packet-count').filter({ hasText: '400' }).waitFor();
  await page.getByTestId('ingest-progress').waitFor({ state: 'detached' });
  const rows = page.getByTestId('packet-row');
  await rows.nth(0).locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await rows.nth(0).click();
  await page.locator('.details-title').filter({ hasText: 'Frame 1:' }).waitFor();
  await page.keyboard.press('Control+m');
  await page
    .getByRole('button', { name: /^Marks/ })
    .filter({ hasText: '(2)' })
    .waitFor();
  const notes = page.getByLabel('Note for frame 1', { exact: true });
  assert.equal(await notes.count(), 2, 'the mark on both copies');
  await notes.first().fill('seen on both');
  assert.deepEqual(await Promise.all([notes.nth(0).inputValue(), notes.nth(1).inputValue()]), ['seen on both', 'seen on both']);
  await page.locator('section.marks[data-saved="true"]').waitFor();
  await page.reload();
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'twice.pcap');
  await page.getByRole('button', { name: 'Marks (1)' }).waitFor();
  assert.equal(await page.getByLabel('Note for frame 1', { exact: true }).inputValue(), 'seen on both');
  await page.close();
});
