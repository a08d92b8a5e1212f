/**
 * The filter box in Debian's Chromium: the list shows exactly the frames tcpdump matches
 * for field story 1's expressions, and a bad expression says where it went wrong.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedCapturesDir, sharedSkipReason, tcpdumpFrames } from '../test/support/oracle.ts';
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
    await page.getByTestId('filter-count').filter({ hasText: `${expected.length} of ${total} packets` }).waitFor();
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
