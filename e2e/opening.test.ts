/**
 * Opening as a new user does it: a file given while the first visit's demo loads is not
 * dropped, nor merged with the demo; a read cancelled and started again leaves one full copy.
 */
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createGzip } from 'node:zlib';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, udp } from '../kit/frames.ts';
import { tsharkFields } from '../test/support/oracle.ts';
import { opened, openApp } from './support/app.ts';
import { screenshotsDir, sharedSession } from './support/browser.ts';

const session = sharedSession();
const work = mkdtempSync(join(tmpdir(), 'pt-e2e-opening-'));

function frame(i: number): Uint8Array {
  return ethernet({ dst: '00:00:0c:9f:f0:01', src: '52:54:00:ab:cd:ef', etherType: 0x0800, payload: ipv4({ src: '10.7.0.1', dst: `10.7.1.${1 + (i % 250)}`, proto: 17, payload: udp({ sport: 40000 + (i % 7), dport: 123, payload: new Uint8Array(48) }) }) });
}

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
  // 6 M small packets (58 bytes a record, 350 MB inflated) that gzip to a few MB: the read takes seconds, the file stays small.
  const path = join(work, 'long.pcap.gz');
  const gzip = createGzip({ level: 1 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  const count = 6_000_000;
  const data = ethernet({ dst: '00:00:0c:9f:f0:01', src: '52:54:00:ab:cd:ef', etherType: 0x0800, payload: ipv4({ src: '10.7.0.1', dst: '10.7.1.1', proto: 17, payload: udp({ sport: 40000, dport: 123, payload: new Uint8Array(0) }) }) });
  gzip.write(writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records: [] }));
  const record = Buffer.alloc(16 + data.length);
  const batch = Buffer.alloc(record.length * 10_000);
  for (let i = 0; i < count; i += 10_000) {
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

  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  const progress = page.getByTestId('ingest-progress');
  await progress.getByRole('button', { name: /Cancel/ }).click();
  await page.locator('.captures li').filter({ hasText: 'cancelled' }).waitFor({ timeout: 120_000 });
  await progress.waitFor({ state: 'detached' });
  const partial = Number((await page.getByTestId('packet-count').textContent())!.replace(/,/g, ''));
  assert.ok(partial < count, `cancelled at ${partial}`);
  await page.getByTestId('file-input').setInputFiles(path);
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
  await page.getByTestId('file-input').setInputFiles(path);
  await page.locator('.captures li').nth(1).waitFor();
  await page.getByTestId('packet-count').filter({ hasText: '400' }).waitFor();
  await page.getByTestId('ingest-progress').waitFor({ state: 'detached' });
  const rows = page.getByTestId('packet-row');
  await rows.nth(0).locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await rows.nth(0).click();
  await page.locator('.details-title').filter({ hasText: 'Frame 1:' }).waitFor();
  await page.keyboard.press('Control+m');
  await page.getByRole('button', { name: /^Marks/ }).filter({ hasText: '(2)' }).waitFor();
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
