/**
 * The filter box in Debian's Chromium: the list shows exactly the frames tcpdump matches
 * for field story 1's expressions, and a bad expression says where it went wrong.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pcapRecordKeys, requireTool, sharedCapturesDir, sharedSkipReason, tcpdumpFrames } from '../test/support/oracle.ts';
import { opened, openApp } from './support/app.ts';
import { screenshotsDir, sharedSession } from './support/browser.ts';

const session = sharedSession();

test('the filter box shows the frames tcpdump matches', { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'vlan-collisions.pcap');
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(path);
  const total = await opened(page, 'vlan-collisions.pcap');
  for (const expression of ['not (vlan and ip and port 80)', 'vlan and host 141.142.228.5', 'tcp[tcpflags] & tcp-syn != 0']) {
    const expected = (await tcpdumpFrames(path, expression)).frames;
    await page.getByTestId('filter-input').fill(expression);
    await page.getByTestId('filter-input').press('Enter');
    await page
      .getByTestId('filter-count')
      .filter({ hasText: `${expected.length} of ${total} packets` })
      .waitFor();
    const rows = page.getByTestId('packet-row');
    await rows.first().locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
    const frames = (await rows.evaluateAll((els) => els.map((e) => Number(e.querySelector('span')!.textContent)))).slice(0, expected.length);
    assert.deepEqual(frames, expected.slice(0, frames.length), expression);
  }
  await page.screenshot({ path: join(screenshotsDir, 'filter.png') });
  await page.getByTestId('filter-input').fill('vlan and');
  await page.getByTestId('filter-input').press('Enter');
  assert.match((await page.getByTestId('filter-error').textContent())!, /ends too soon \(at character 9\)/);
  await page.close();
});

test('Conversations: top talkers with the counts tcpdump gives their expressions; Only and Exclude write them', { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'VlanPackets.pcap');
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(path);
  const total = await opened(page, 'VlanPackets.pcap');
  await page.getByRole('button', { name: 'Conversations' }).click();
  await page.getByRole('tab', { name: 'IP pair' }).click();
  let rows = page.locator('table[data-kind="ip"]').getByTestId('conversation-row');
  await rows.first().waitFor();
  const first = rows.first();
  const expression = (await first.locator('code').textContent())!;
  const packets = Number((await first.locator('td.num').first().textContent())!.replace(/,/g, ''));
  const expected = (await tcpdumpFrames(path, expression)).frames;
  assert.equal(packets, expected.length, `the row's packets = tcpdump's count for '${expression}'`);

  await first.getByRole('button', { name: 'Only' }).click();
  assert.equal(await page.getByTestId('filter-input').inputValue(), expression);
  await page
    .getByTestId('filter-count')
    .filter({ hasText: `${expected.length} of ${total} packets` })
    .waitFor();

  await page.getByTestId('filter-input').fill('');
  await page.getByTestId('filter-input').press('Enter');
  await page.getByRole('tab', { name: 'Protocol' }).click();
  rows = page.locator('table[data-kind="proto"]').getByTestId('conversation-row');
  await rows.filter({ hasText: 'ICMP' }).getByRole('button', { name: 'Exclude' }).click();
  // Exclude asks the worker how to join the expressions: wait for the box to be written.
  await page.waitForFunction(() => (document.querySelector('[data-testid="filter-input"]') as HTMLInputElement).value !== '');
  const excluded = await page.getByTestId('filter-input').inputValue();
  assert.match(excluded, /^not \(/);
  const remaining = (await tcpdumpFrames(path, excluded)).frames.length;
  await page
    .getByTestId('filter-count')
    .filter({ hasText: `${remaining} of ${total} packets` })
    .waitFor();
  await page.screenshot({ path: join(screenshotsDir, 'conversations.png') });
  await page.close();
});

test('Export saves the filtered packets: the file holds what tcpdump writes for that filter', { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'VlanPackets.pcap');
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(path);
  const total = await opened(page, 'VlanPackets.pcap');
  const expression = 'vlan and vlan and icmp';
  const expected = (await tcpdumpFrames(path, expression)).frames.length;
  assert.ok(expected > 0 && expected < total, `${expected} of ${total} match`);
  await page.getByTestId('filter-input').fill(expression);
  await page.getByTestId('filter-input').press('Enter');
  await page
    .getByTestId('filter-count')
    .filter({ hasText: `${expected} of ${total} packets` })
    .waitFor();
  const dir = mkdtempSync(join(tmpdir(), 'pt-export-e2e-'));
  for (const format of ['pcapng', 'pcap']) {
    await page.getByLabel('Export format').selectOption(format);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    assert.match(saved, new RegExp(`\\.${format}$`));
    // Through tcpdump both ways: the same records, bytes and timestamps.
    const ours = execFileSync(requireTool('tcpdump'), ['-r', saved, '-w', '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const theirs = execFileSync(requireTool('tcpdump'), ['-r', path, '-w', '-', expression], { stdio: ['ignore', 'pipe', 'ignore'] });
    assert.deepEqual(pcapRecordKeys(ours), pcapRecordKeys(theirs), format);
    assert.equal(pcapRecordKeys(ours).length, expected);
  }
  await page.close();
});

test('keys: Esc leaves the filter box, and single-key shortcuts never fire from a field', { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'HSRP_failover.pcap');
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'HSRP_failover.pcap');
  const box = page.getByTestId('filter-input');
  await box.fill('udp');
  await box.press('Enter');
  await page.getByTestId('filter-count').filter({ hasText: ' of ' }).waitFor();
  // In the field, k is a letter of the filter, not the Marks panel.
  await box.press('k');
  assert.equal(await box.inputValue(), 'udpk');
  assert.equal(await page.locator('section.marks').count(), 0);
  await box.press('Backspace');
  await box.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'packet-table');
  await page.keyboard.press('k');
  await page.locator('section.marks').waitFor();
  assert.equal(await box.inputValue(), 'udp');
  // A select takes its keys too: t there does not open Conversations.
  await page.getByLabel('Export format').focus();
  await page.keyboard.press('t');
  assert.equal(await page.locator('.conversations').count(), 0);
  await page.close();
});

test('keys: Tab reaches Open captures…, and Enter there opens the file dialog', async () => {
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  // Asked for before the keys: Playwright intercepts the dialog only once a listener is set up.
  const chooser = page.waitForEvent('filechooser');
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = (await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Open captures…';
  }
  assert.ok(reached, 'Tab reaches Open captures…');
  await page.keyboard.press('Enter');
  assert.equal((await chooser).isMultiple(), true);
  await page.close();
});
