/**
 * Export as a new user meets it, in Debian's Chromium at 1440x900: the first visit opens the
 * demo (1.4 M packets), Export saves all of them as pcapng and as pcap, then the ARP packets
 * the filter box shows. Every download is read back by tcpdump (and capinfos or tshark) and
 * must hold the packets tcpdump reads from the demo itself: the same count and the same
 * records, byte for byte. Then the same export through File System Access (the save dialog
 * stood in for by a file in the origin's private file system) writes the same bytes. Any
 * uncaught error on the page fails the test. Times and the browser's peak memory (PSS of
 * all its processes) are printed as diagnostics.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { capinfosCounts, pcapRecordKeys, requireTool, tsharkFields } from '../test/support/oracle.ts';
import { opened, watch } from './support/app.ts';
import { repoRoot, sharedSession } from './support/browser.ts';
import { sampleMemory } from './support/process-memory.ts';

const session = sharedSession();
const tmp = mkdtempSync(join(tmpdir(), 'pt-export-demo-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const DOWNLOAD_TIMEOUT_MS = 120_000;
/**
 * No File System Access (so no Save as…, only the download) until the test sets pickInOpfs;
 * then a file in the origin's private file system stands in for the one a user picks. Text, not a
 * function: tsx would put its helpers in a function's body, and the page has none.
 */
const PICKER = `Object.defineProperty(window, 'showSaveFilePicker', {
  get: () => (window.pickInOpfs ? async (o) => (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName, { create: true }) : undefined),
});`;

/** The records tcpdump reads from a file, as it writes them (nanosecond stamps): their count and a digest. */
function tcpdumpRecords(file: string, expression?: string): { count: number; sha256: string } {
  const out = join(tmp, `tcpdump-${Math.random().toString(36).slice(2)}.pcap`);
  execFileSync(requireTool('tcpdump'), ['--time-stamp-precision=nano', '-r', file, '-w', out, ...(expression ? [expression] : [])], { stdio: 'ignore' });
  const pcap = readFileSync(out);
  rmSync(out);
  // The 24-byte file header names the snaplen, which pcap and pcapng carry differently; the records are the packets.
  return { count: pcapRecordKeys(pcap).length, sha256: createHash('sha256').update(pcap.subarray(24)).digest('hex') };
}

async function exportOnce(t: TestContext, page: Page, format: 'pcapng' | 'pcap', label: string): Promise<string> {
  await page.getByLabel('Export format').selectOption(format);
  const memory = sampleMemory();
  const started = performance.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: DOWNLOAD_TIMEOUT_MS }), page.getByTestId('export').click()]);
  const startedMs = performance.now() - started;
  const path = join(tmp, download.suggestedFilename());
  await download.saveAs(path);
  const savedMs = performance.now() - started;
  const { start, peak } = memory.stop();
  assert.equal(await download.failure(), null, `${label}: the download failed`);
  // The button is back: the export is over, its progress bar gone.
  await page.getByTestId('export-progress').waitFor({ state: 'detached' });
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  t.diagnostic(
    `${label}: download after ${(startedMs / 1000).toFixed(2)} s, saved after ${(savedMs / 1000).toFixed(2)} s; browser PSS ${mb(start.total)} before, peak ${mb(peak.total)} (browser process ${mb(start.browser)} -> ${mb(peak.browser)}, renderers ${mb(start.renderer)} -> ${mb(peak.renderer)})`,
  );
  return path;
}

test('a first visit exports the demo as pcapng and pcap, all of it and its ARP packets, as tcpdump reads them', async (t) => {
  const demo = join(tmp, 'field-story-1.pcap');
  writeFileSync(demo, gunzipSync(readFileSync(join(repoRoot, 'public/demo/field-story-1.pcap.gz'))));
  const all = tcpdumpRecords(demo);
  const arp = tcpdumpRecords(demo, 'arp');

  const page = await session.browser().newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
  watch(page, session.url());
  await page.addInitScript({ content: PICKER });
  await page.goto(session.url());
  assert.equal(await opened(page, 'field-story-1.pcap.gz'), all.count, 'the demo opens with the packets tcpdump reads');

  const downloaded = new Map<string, string>();
  for (const format of ['pcapng', 'pcap'] as const) {
    const path = await exportOnce(t, page, format, `all ${all.count} packets as ${format}`);
    assert.match(path, new RegExp(`-${all.count}-packets\\.${format}$`));
    assert.deepEqual(tcpdumpRecords(path), all, `${format}: the packets tcpdump reads from the demo`);
    assert.equal((await capinfosCounts([path])).get(path), all.count, `${format}: capinfos (tshark's reader) reads every packet`);
    downloaded.set(format, path);
  }

  // Cancel: the bar goes, the button comes back, no file and no error.
  let downloads = 0;
  page.on('download', () => downloads++);
  const measures = () => page.evaluate(() => performance.getEntriesByName('export', 'measure').length);
  const before = await measures();
  await page.getByTestId('export').click();
  await page.getByTestId('export-cancel').click();
  await page.getByTestId('export-progress').waitFor({ state: 'detached' });
  await page
    .getByTestId('export')
    .filter({ hasText: `Export ${all.count.toLocaleString('en-US')}` })
    .waitFor();
  assert.deepEqual(
    [downloads, await measures(), await page.locator('.export-error').count()],
    [0, before, 0],
    'a cancelled export leaves no download, no measure and no error',
  );

  // File System Access: the worker writes the picked file; the same bytes as the download.
  await page.evaluate(() => ((window as unknown as { pickInOpfs: boolean }).pickInOpfs = true));
  // A render after the browser "gained" File System Access shows Save as….
  await page.getByLabel('Export format').selectOption('pcap');
  await page.getByLabel('Export format').selectOption('pcapng');
  await page.getByTestId('export-save-as').waitFor();
  const downloadedBytes = readFileSync(downloaded.get('pcapng')!);
  const memory = sampleMemory();
  const started = performance.now();
  await page.getByTestId('export-save-as').click();
  const name = `field-story-1-${all.count}-packets.pcapng`;
  // The app's 'export' measure marks the end of each export: one more than the downloads so far.
  const done = await page.evaluate(() => performance.getEntriesByName('export', 'measure').length);
  await page.waitForFunction((n) => performance.getEntriesByName('export', 'measure').length > n, done, { timeout: DOWNLOAD_TIMEOUT_MS, polling: 100 });
  const { start, peak } = memory.stop();
  t.diagnostic(
    `all ${all.count} packets as pcapng to a picked file: written after ${((performance.now() - started) / 1000).toFixed(2)} s; browser PSS ${(start.total / 2 ** 20).toFixed(0)} MiB before, peak ${(peak.total / 2 ** 20).toFixed(0)} MiB (browser process ${(start.browser / 2 ** 20).toFixed(0)} -> ${(peak.browser / 2 ** 20).toFixed(0)}, renderers ${(start.renderer / 2 ** 20).toFixed(0)} -> ${(peak.renderer / 2 ** 20).toFixed(0)})`,
  );
  assert.equal(await page.locator('.export-error').count(), 0, 'no export error');
  const digest = await page.evaluate(async (n) => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile();
    return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())), (b) => b.toString(16).padStart(2, '0')).join('');
  }, name);
  assert.equal(digest, createHash('sha256').update(downloadedBytes).digest('hex'), 'the picked file holds the bytes of the download');
  await page.evaluate(() => ((window as unknown as { pickInOpfs: boolean }).pickInOpfs = false));

  await page.getByTestId('filter-input').fill('arp');
  await page.getByTestId('filter-input').press('Enter');
  await page
    .getByTestId('filter-count')
    .filter({ hasText: `${arp.count.toLocaleString('en-US')} of ${all.count.toLocaleString('en-US')} packets` })
    .waitFor();
  const arpOracle = join(tmp, 'arp-tcpdump.pcap');
  execFileSync(requireTool('tcpdump'), ['-r', demo, '-w', arpOracle, 'arp'], { stdio: 'ignore' });
  const fields = ['frame.time_epoch', 'frame.len', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'];
  const expected = (await tsharkFields(arpOracle, fields)).rows;
  for (const format of ['pcapng', 'pcap'] as const) {
    const path = await exportOnce(t, page, format, `ARP ${arp.count} packets as ${format}`);
    assert.deepEqual(tcpdumpRecords(path), arp, `${format}: the ARP packets tcpdump reads from the demo`);
    const ours = await tsharkFields(path, fields);
    assert.equal(ours.status, 0, `${format}: tshark reads the file: ${ours.stderr}`);
    assert.ok(
      ours.rows.length === expected.length && ours.rows.every((r, i) => r.join('\t') === expected[i].join('\t')),
      `${format}: tshark's times, lengths and ARP addresses equal those of tcpdump's ARP packets`,
    );
  }
  await page.close();
});
