/**
 * The workbench at 1440x900 in Debian's Chromium: the list keeps at least 20 rows with a
 * side panel open (measured from the rows' boxes, not counted in the DOM); splitters and
 * columns drag and are remembered after a reload; a clock offset moves the Time column, the
 * finding, its lane and the mark by it; Tab reaches every control; screenshots to look at.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { writePcap } from '../kit/pcap-writer.ts';
import { arp, ethernet, ipv4, udp } from '../kit/frames.ts';
import { tsharkFields } from '../test/support/oracle.ts';
import { idle, opened, openApp, viewport } from './support/app.ts';
import { screenshotsDir, sharedSession } from './support/browser.ts';

const session = sharedSession();
const work = mkdtempSync(join(tmpdir(), 'pt-e2e-workbench-'));
const SIZE = { width: 1440, height: 900 };
/** The timeline's label gutter and right margin (src/ui/timeline/layout.ts). */
const PLOT_LEFT_PX = 112;
const PLOT_RIGHT_PX = 8;

/** 20 s of calm UDP, 10 packets a second. */
function calm(): string {
  const path = join(work, 'calm.pcap');
  const records = Array.from({ length: 200 }, (_, i) => ({
    tsSec: 1_700_000_000 + Math.floor(i / 10),
    tsFrac: (i % 10) * 100_000,
    data: ethernet({
      dst: '02:00:00:00:00:02',
      src: '02:00:00:00:00:01',
      etherType: 0x0800,
      payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, payload: udp({ sport: 5000, dport: 6000, payload: new Uint8Array(8) }) }),
    }),
  }));
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  return path;
}

/** A host asking five times, a second apart from 4.25 s in, for a neighbour that never answers. */
function asks(): string {
  const path = join(work, 'asks.pcap');
  const request = ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:0a',
    etherType: 0x0806,
    payload: arp({ op: 1, senderMac: '02:00:00:00:00:0a', senderIp: '10.9.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.9.0.99' }),
  });
  const records = Array.from({ length: 5 }, (_, i) => ({ tsSec: 1_700_000_004 + i, tsFrac: 250_000, data: request }));
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  return path;
}

/** Packet rows wholly inside the list's visible box. */
function visibleRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('[data-testid="packet-table"]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="packet-row"]')].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.height > 0 && box.top >= list.top - 0.5 && box.bottom <= list.bottom + 0.5;
    }).length;
  });
}

const heightOf = async (page: Page, testId: string) => (await page.getByTestId(testId).boundingBox())!.height;
const widthOf = async (page: Page, testId: string) => (await page.getByTestId(testId).boundingBox())!.width;

/** Drags an element's centre by (dx, dy) with the mouse. */
async function drag(page: Page, selector: string, dx: number, dy: number): Promise<void> {
  const box = (await page.locator(selector).first().boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}

/** "HH:MM:SS.ffffff" as seconds of the day. */
function secondsOf(text: string): number {
  const [h, m, s] = text.trim().split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

test('at 1440x900 the list shows at least 20 rows with Findings, Conversations or Marks open; details take no room until a packet is selected', async () => {
  const page = await openApp(session.browser(), session.url(), { firstVisit: true, ...SIZE });
  await opened(page, 'field-story-1.pcap.gz');
  await page.getByTestId('finding').first().waitFor({ timeout: 60_000 });
  await idle(page);
  assert.equal(await page.getByTestId('details-pane').count(), 0, 'no details pane before a selection');
  const counts: Record<string, number> = {};
  for (const [panel, button] of [
    ['findings', /^Findings/],
    ['conversations', /^Conversations/],
    ['marks', /^Marks/],
  ] as const) {
    if (!(await page.getByRole('button', { name: button }).getAttribute('aria-pressed'))?.includes('true'))
      await page.getByRole('button', { name: button }).click();
    await page.getByTestId('side-pane').waitFor();
    await idle(page);
    counts[panel] = await visibleRows(page);
  }
  console.log(`visible packet rows at 1440x900: ${JSON.stringify(counts)}`);
  for (const [panel, rows] of Object.entries(counts)) assert.ok(rows >= 20, `${rows} rows visible with ${panel} open`);
  await page.getByRole('button', { name: /^Findings/ }).click();
  await page.getByTestId('packet-row').nth(8).click();
  await page.locator('.details-title').filter({ hasText: 'Frame 9:' }).waitFor();
  await page.getByTestId('details-pane').waitFor();
  await idle(page);
  await page.screenshot({ path: join(screenshotsDir, 'workbench-demo-findings-selected.png') });
  await page.getByRole('button', { name: 'Close all' }).click();
  await page.getByTestId('empty').waitFor();
  await idle(page);
  await page.screenshot({ path: join(screenshotsDir, 'workbench-empty.png') });
  await page.close();
});

test('splitters and columns drag, double-click resets them, and their sizes are remembered after a reload', async () => {
  const path = calm();
  const page = await openApp(session.browser(), session.url(), SIZE);
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'calm.pcap');
  await idle(page);
  const timeline0 = await heightOf(page, 'timeline-pane');
  const side0 = await widthOf(page, 'side-pane');
  const time0 = (await page.getByRole('columnheader', { name: 'Time' }).boundingBox())!.width;
  await drag(page, '[data-testid="timeline-splitter"]', 0, -40);
  await drag(page, '[data-testid="side-splitter"]', -120, 0);
  await drag(page, '.col-resize[data-column="time"]', 50, 0);
  await idle(page);
  const sizes = async () => [
    await heightOf(page, 'timeline-pane'),
    await widthOf(page, 'side-pane'),
    (await page.getByRole('columnheader', { name: 'Time' }).boundingBox())!.width,
  ];
  const dragged = await sizes();
  assert.ok(Math.abs(dragged[0] - (timeline0 - 40)) <= 1, `timeline ${timeline0} -> ${dragged[0]}`);
  assert.ok(Math.abs(dragged[1] - (side0 + 120)) <= 1, `side panel ${side0} -> ${dragged[1]}`);
  assert.ok(Math.abs(dragged[2] - (time0 + 50)) <= 1, `Time column ${time0} -> ${dragged[2]}`);

  await page.reload();
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'calm.pcap');
  await idle(page);
  assert.deepEqual(await sizes(), dragged, 'the same sizes after a reload');

  await page.getByTestId('timeline-splitter').dblclick();
  await page.getByTestId('side-splitter').dblclick();
  await page.locator('.col-resize[data-column="time"]').dblclick();
  await idle(page);
  assert.deepEqual(await sizes(), [timeline0, side0, time0], 'double-click: the default sizes again');
  await page.close();
});

test('a clock offset moves the Time column, the finding, its lane and the mark by it', async () => {
  const [calmPath, asksPath] = [calm(), asks()];
  const page = await openApp(session.browser(), session.url(), SIZE);
  await page.getByTestId('file-input').setInputFiles([calmPath, asksPath]);
  await opened(page, 'calm.pcap', 'asks.pcap');
  const finding = page.getByTestId('finding').filter({ hasText: 'ARP unanswered' });
  await finding.waitFor({ timeout: 60_000 });
  const canvas = page.getByTestId('timeline').locator('canvas');
  await page.waitForFunction(() =>
    ((document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement).dataset.overlays ?? '').includes('arp 10.9.0.99'),
  );
  // Only the ARP requests in the list; the first one marked.
  await page.getByTestId('filter-input').fill('arp');
  await page.getByTestId('filter-input').press('Enter');
  await page.getByTestId('filter-count').filter({ hasText: '5 of 205 packets' }).waitFor();
  const firstRow = page.getByTestId('packet-row').first();
  await firstRow.locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await firstRow.click();
  await page.locator('.details-title').filter({ hasText: 'Frame 1:' }).waitFor();
  await page.keyboard.press('Control+m');
  await page.getByRole('button', { name: 'Marks (1)' }).waitFor();
  await idle(page);

  const { rows: epochs } = await tsharkFields(asksPath, ['frame.time_epoch']);
  const before = await readings(page);
  // The list's time is tshark's (to the µs); the others say the same instant.
  assert.equal(before.row.split('.')[1], epochs[0][0].split('.')[1].slice(0, 6));
  for (const [what, text] of [
    ['finding', before.finding],
    ['mark', before.mark],
  ])
    assert.ok(Math.abs(secondsOf(text) - secondsOf(before.row)) < 1e-6, `the ${what} at ${text}, the packet at ${before.row}`);

  const offsetSec = 2.5;
  const input = page.getByTestId('clock-offset').nth(1);
  await input.fill(String(offsetSec));
  await input.press('Enter');
  await idle(page);
  const after = await readings(page);
  const moved = (what: string, a: string, b: string) => assert.ok(Math.abs(secondsOf(b) - secondsOf(a) - offsetSec) < 1e-6, `${what}: ${a} -> ${b}`);
  moved('the Time column', before.row, after.row);
  moved('the finding', before.finding, after.finding);
  moved('the mark', before.mark, after.mark);
  assert.deepEqual(after.viewport, before.viewport, 'the same window (calm.pcap spans the shifted requests)');
  const plotWidth = (await canvas.boundingBox())!.width - PLOT_LEFT_PX - PLOT_RIGHT_PX;
  const expectedPx = (offsetSec / (before.viewport[1] - before.viewport[0])) * plotWidth;
  assert.ok(
    Math.abs(after.tickX - before.tickX - expectedPx) <= 1.5,
    `the lane's first tick moved ${after.tickX - before.tickX} px, ${expectedPx.toFixed(1)} px expected`,
  );
  await page.close();
});

/** The first ARP row's Time, the ARP finding's time, the mark's time, the viewport, and the x of the ARP lane's first tick. */
async function readings(page: Page): Promise<{ row: string; finding: string; mark: string; viewport: [number, number]; tickX: number }> {
  const row = (await page.getByTestId('packet-row').first().getByTestId('time').textContent())!;
  const finding = (await page.getByTestId('finding').filter({ hasText: 'ARP unanswered' }).locator('.finding-time').textContent())!;
  await page.getByRole('button', { name: /^Marks/ }).click();
  const mark = (await page.getByTestId('mark').locator('button').first().textContent())!;
  await page.getByRole('button', { name: /^Findings/ }).click();
  await idle(page);
  const tickX = await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement;
    const lanes = canvas.dataset.overlays!.split('|');
    const [top] = canvas.dataset.overlayRows!.split('|')[lanes.findIndex((l) => l.includes('arp 10.9.0.99'))].split(',').map(Number);
    // One pixel into the row: only the ticks are drawn there (stretches start 3 px in). Broadcast requests are red.
    const pixels = canvas.getContext('2d')!.getImageData(0, top + 1, canvas.width, 1).data;
    for (let x = 112; x < canvas.width; x++) if (pixels[4 * x] > 150 && pixels[4 * x + 1] < 90 && pixels[4 * x + 2] < 90) return x;
    return -1;
  });
  assert.ok(tickX > 0, 'a tick on the ARP lane');
  return { row, finding, mark, viewport: await viewport(page), tickX };
}

test('Tab reaches every control on the page, in order, and never a hidden one', async () => {
  const path = calm();
  const page = await openApp(session.browser(), session.url(), SIZE);
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'calm.pcap');
  await page.getByTestId('packet-row').first().click();
  await page.locator('.details-title').waitFor();
  await idle(page);
  // Every visible control that takes focus: buttons, fields, splitters, the list, the file pickers.
  const controls = await page.evaluate(() => {
    const all = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex="0"]')];
    const shown = all.filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && el.tabIndex >= 0);
    for (const el of shown) el.dataset.control = '';
    return shown.length;
  });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Scrolling panes take focus too (Chromium lets the keyboard scroll them): a few more stops than controls.
  for (let i = 0; i < controls + 10; i++) {
    await page.keyboard.press('Tab');
    await page.evaluate(() => document.activeElement?.setAttribute('data-tabbed', ''));
  }
  const missed = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-control]:not([data-tabbed])')].map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(missed, [], `Tab reaches all ${controls} controls`);
  for (const name of ['Open captures…', 'Add captures…']) assert.ok(await page.locator('[data-tabbed]', { hasText: name }).count(), `Tab reaches ${name}`);
  for (const id of ['timeline-splitter', 'side-splitter', 'details-splitter', 'packet-table', 'filter-input'])
    assert.ok(await page.locator(`[data-testid="${id}"][data-tabbed]`).count(), `Tab reaches ${id}`);
  await page.close();
});
