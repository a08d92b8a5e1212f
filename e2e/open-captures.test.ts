/**
 * The built app in Debian's Chromium: captures opened through the file input are parsed
 * by the real worker, and the page's packet count equals tshark's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, udp } from '../kit/frames.ts';
import { sharedCapturesDir, sharedSkipReason, tsharkFields } from '../test/support/oracle.ts';
import { opened, openApp } from './support/app.ts';
import { screenshotsDir, sharedSession } from './support/browser.ts';

const work = mkdtempSync(join(tmpdir(), 'pt-e2e-'));
const shots = screenshotsDir;
const session = sharedSession();

function openPage(): Promise<Page> {
  return openApp(session.browser(), session.url());
}

async function tsharkCount(path: string): Promise<number> {
  return (await tsharkFields(path, ['frame.number'])).rows.length;
}

/** A generated capture: 5000 UDP packets, so ingest spans several progress reports. */
function generatedCapture(): string {
  const records = Array.from({ length: 5000 }, (_, i) => ({
    tsSec: 1_512_479_565 + Math.floor(i / 100),
    tsFrac: (i % 100) * 10_000,
    data: ethernet({
      dst: '00:00:0c:9f:f0:01',
      src: '52:54:00:12:34:56',
      etherType: 0x0800,
      payload: ipv4({
        src: '10.100.100.75',
        dst: '10.100.100.65',
        proto: 17,
        payload: udp({ sport: 40000 + (i % 50), dport: 53, payload: new Uint8Array(40) }),
      }),
    }),
  }));
  const path = join(work, 'generated.pcap');
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  return path;
}

test("opening a generated and a real capture shows tshark's packet count", { skip: sharedSkipReason }, async () => {
  const page = await openPage();
  const generated = generatedCapture();
  const real = join(sharedCapturesDir()!, 'vrrp.pcap');
  const expected = (await tsharkCount(generated)) + (await tsharkCount(real));
  await page.getByTestId('file-input').setInputFiles([generated, real]);
  assert.equal(await opened(page, 'generated.pcap', 'vrrp.pcap'), expected);
  const measures = await page.evaluate(() => performance.getEntriesByName('ingest', 'measure').length);
  assert.equal(measures, 1, 'a User Timing measure named "ingest"');
  await page.screenshot({ path: join(shots, 'opened.png'), fullPage: true });
  await page.close();
});

test('a file that is not a capture gets a clear message and leaves the open capture alone', async () => {
  const page = await openPage();
  const generated = generatedCapture();
  await page.getByTestId('file-input').setInputFiles(generated);
  await opened(page, 'generated.pcap');
  const before = await page.getByTestId('packet-count').textContent();
  const notes = join(work, 'notes.txt');
  writeFileSync(notes, 'these are my incident notes, not a capture\n');
  // Added: what is open stays; the file that is not a capture gets its line.
  await page.getByTestId('add-input').setInputFiles(notes);
  await page.getByText('could not be opened').waitFor();
  assert.match((await page.getByRole('alert').first().textContent())!, /not a pcap, pcapng or gzip-compressed capture/);
  assert.equal(await page.getByTestId('packet-count').textContent(), before);
  await page.screenshot({ path: join(shots, 'not-a-capture.png'), fullPage: true });
  await page.close();
});

test('a truncated capture shows what was read and where it stopped', async () => {
  const page = await openPage();
  const whole = readFileSync(generatedCapture());
  const cut = join(work, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2) + 7));
  const expected = await tsharkCount(cut);
  await page.getByTestId('file-input').setInputFiles(cut);
  assert.equal(await opened(page, 'cut.pcap'), expected);
  const alert = (await page.getByRole('alert').first().textContent())!;
  assert.match(alert, new RegExp(`Read ${expected.toLocaleString('en-US')} packets, then stopped at byte [\\d,]+: file ends inside a record`));
  await page.screenshot({ path: join(shots, 'truncated.png'), fullPage: true });
  await page.close();
});

test("the Time column shows a whole nanosecond time, uncut, equal to tshark's", { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'tcp-handshake-nano.pcap');
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'tcp-handshake-nano.pcap');
  const cells = page.getByTestId('time');
  await cells.nth(2).waitFor();
  const { rows } = await tsharkFields(path, ['frame.time_epoch']);
  for (const [i, [epoch]] of rows.entries()) {
    const cell = cells.nth(i);
    const fraction = epoch.split('.')[1].padEnd(9, '0');
    assert.equal((await cell.textContent())!.split('.')[1], fraction, `row ${i + 1}: the nanoseconds tshark reads`);
    assert.ok(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth), `row ${i + 1}: the time fits its column`);
  }
  await page.close();
});

test("Relative times equal tshark's frame.time_relative to the ns on the nanosecond captures", { skip: sharedSkipReason }, async () => {
  for (const name of ['tcp-handshake-nano.pcap', 'nanosecs_big_endian.pcap']) {
    const path = join(sharedCapturesDir()!, name);
    const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
    await page.getByTestId('file-input').setInputFiles(path);
    await opened(page, name);
    await page.getByRole('button', { name: 'Wall clock' }).click();
    await page.getByRole('button', { name: 'Relative' }).waitFor();
    const { rows } = await tsharkFields(path, ['frame.time_relative']);
    const cells = page.getByTestId('time');
    await cells.nth(rows.length - 1).waitFor();
    assert.deepEqual(
      await cells.allTextContents(),
      rows.map(([t]) => t),
      name,
    );
    await page.close();
  }
});

test("Time and Delta keep the capture's decimals on every row: 9 for a nanosecond capture, 6 for microseconds", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-digits-'));
  for (const [resolution, digits] of [
    ['ns', 9],
    ['us', 6],
  ] as const) {
    // Fractions that are whole microseconds (and one that is 0): printed with the capture's decimals all the same.
    const records = [0, 123_000, 123_456, 500_000].map((frac, i) => ({
      tsSec: 1_700_000_000 + i,
      tsFrac: resolution === 'ns' ? frac * 1000 : frac,
      data: ethernet({
        dst: '02:00:00:00:00:02',
        src: '02:00:00:00:00:01',
        etherType: 0x0800,
        payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, payload: udp({ sport: 1, dport: 2, payload: new Uint8Array(4) }) }),
      }),
    }));
    const path = join(dir, `${resolution}.pcap`);
    writeFileSync(path, writePcap({ endian: 'le', resolution, linkType: 1, snaplen: 65535, records }));
    const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
    await page.getByTestId('file-input').setInputFiles(path);
    await opened(page, `${resolution}.pcap`);
    const rows = page.getByTestId('packet-row');
    await rows.nth(3).getByTestId('time').waitFor();
    for (let i = 0; i < 4; i++) {
      const [time, delta] = [await rows.nth(i).getByTestId('time').textContent(), await rows.nth(i).locator('span').nth(2).textContent()];
      assert.equal(time!.split('.')[1].length, digits, `${resolution} row ${i + 1} time ${time}`);
      assert.equal(delta!.split('.')[1].length, digits, `${resolution} row ${i + 1} delta ${delta}`);
    }
    await page.close();
  }
});
