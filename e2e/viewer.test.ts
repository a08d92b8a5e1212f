/**
 * The viewer in Debian's Chromium: the demo capture on a first visit, the list against
 * tshark, keyboard and wheel on the timeline and the list, the details and bytes of a packet,
 * packet strings rendered as text, and screenshots at two sizes in both themes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { STORY } from '../scripts/demo/field-story-1.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { ethernet, ipv4, tcp, udp, ascii } from '../kit/frames.ts';
import { capinfosCounts, requireTool, sharedCapturesDir, sharedSkipReason, tsharkFields } from '../test/support/oracle.ts';
import { idle, opened, openApp, viewport } from './support/app.ts';
import { repoRoot, screenshotsDir, sharedSession } from './support/browser.ts';

const shots = screenshotsDir;
const session = sharedSession();

test("a first visit opens the demo capture, with capinfos's packet count", async () => {
  const page = await openApp(session.browser(), session.url(), { firstVisit: true });
  const expected = (await capinfosCounts([join(repoRoot, 'public/demo/field-story-1.pcap.gz')])).values().next().value;
  assert.equal(await opened(page, 'field-story-1.pcap.gz'), expected);
  await idle(page);
  await page.screenshot({ path: join(shots, 'demo-1280-light.png') });
  await page.close();
});

test("the list shows tshark's rows; keys, wheel and clicks move the selection and the window", { skip: sharedSkipReason }, async () => {
  const path = join(sharedCapturesDir()!, 'HSRP_election.pcap');
  const oracle = await tsharkFields(path, ['frame.number', 'ip.src', 'ip.dst', 'frame.len', '_ws.col.Info']);
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(path);
  assert.equal(await opened(page, 'HSRP_election.pcap'), oracle.rows.length);

  const rows = page.getByTestId('packet-row');
  await rows.first().locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  for (let i = 0; i < 10; i++) {
    const cells = await rows.nth(i).locator('span').allTextContents();
    const [frame, src, dst, len, info] = oracle.rows[i];
    assert.deepEqual([cells[0], cells[4], cells[5], cells[7], cells[8]], [frame, src, dst, len, info], `row ${i + 1}`);
  }

  // Select a row, then walk with the keys.
  await rows.nth(2).click();
  // The selection lands when the worker answers (it may still be computing findings): wait for it, as a user would.
  await page.locator('[data-testid="packet-row"][aria-selected="true"]').filter({ hasText: /^3/ }).waitFor();
  await page.getByTestId('packet-table').press('ArrowDown');
  await page.locator('[data-testid="packet-row"][aria-selected="true"]').filter({ hasText: /^4/ }).waitFor();
  await page.getByTestId('packet-table').press('End');
  await page
    .locator('[data-testid="packet-row"][aria-selected="true"]')
    .filter({ hasText: new RegExp(`^${oracle.rows.length}`) })
    .waitFor();

  // The details and bytes of the selected packet.
  const json = JSON.parse(
    execFileSync(requireTool('tshark'), ['-r', path, '-T', 'json', '-x', '-Y', `frame.number == ${oracle.rows.length}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString(),
  );
  await page.getByTestId('hexdump').locator('.hex-line').first().waitFor();
  const hex = (await page.getByTestId('hexdump').locator('.hex-bytes').allTextContents()).join('').replace(/\s+/g, '');
  assert.equal(hex, json[0]._source.layers.frame_raw[0], "the hex pane shows the frame's bytes");
  const details = (await page.getByTestId('details').textContent())!;
  assert.match(details, new RegExp(`Frame ${oracle.rows.length}: \\d+ bytes captured`));
  const [virtualIp] = (await tsharkFields(path, ['hsrp.virt_ip'], ['-Y', `frame.number == ${oracle.rows.length}`])).rows[0];
  assert.ok(details.includes('Cisco Hot Standby Router Protocol') && details.includes(virtualIp), `the details name HSRP and its virtual IP ${virtualIp}`);

  // W zooms in, S out, A/D pan, wheel zooms at the cursor, double-click fits.
  const canvas = page.locator('[data-testid="timeline"] canvas');
  const full = await viewport(page);
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  const zoomed = await viewport(page);
  assert.ok(zoomed[1] - zoomed[0] < (full[1] - full[0]) * 0.5, `W zooms in: ${zoomed} vs ${full}`);
  await page.keyboard.press('d');
  const panned = await viewport(page);
  assert.ok(panned[0] > zoomed[0] && Math.abs(panned[1] - panned[0] - (zoomed[1] - zoomed[0])) < 1e-6, 'D pans later');
  await page.keyboard.press('s');
  assert.ok((await viewport(page))[1] - (await viewport(page))[0] > panned[1] - panned[0], 'S zooms out');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 60);
  const beforeWheel = await viewport(page);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(
    (old) => (document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement).dataset.viewport !== old,
    beforeWheel.join(','),
  );
  const wheeled = await viewport(page);
  assert.ok(wheeled[1] - wheeled[0] < beforeWheel[1] - beforeWheel[0], `the wheel zooms in: ${wheeled} vs ${beforeWheel}`);
  await canvas.dblclick({ position: { x: box.width * 0.5, y: 60 } });
  const fitted = await viewport(page);
  assert.ok(Math.abs(fitted[1] - fitted[0] - (full[1] - full[0])) < 1e-6, 'double-click fits all');

  // A click picks the nearest packet; Shift-drag chooses a window for the list.
  await canvas.click({ position: { x: 120 + (box.width - 120) * 0.5, y: 60 } });
  await page.locator('[data-testid="packet-row"][aria-selected="true"]').waitFor();
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 120 + (box.width - 128) * 0.2, box.y + 60);
  await page.mouse.down();
  await page.mouse.move(box.x + 120 + (box.width - 128) * 0.5, box.y + 60, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.locator('.window-bar').waitFor();
  const shown = Number((await page.locator('.window-bar').textContent())!.match(/Showing ([\d,]+) packets/)![1].replace(/,/g, ''));
  assert.ok(shown > 0 && shown < oracle.rows.length, `a window holds some packets (${shown})`);
  // The window becomes a range mark with its label.
  await page.getByLabel('Range label').fill('election');
  await page.getByRole('button', { name: 'Mark range' }).click();
  await page.getByTestId('mark').filter({ hasText: 'range “election”' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.window-bar').waitFor({ state: 'detached' });
  await page.screenshot({ path: join(shots, 'hsrp-1280-light.png') });
  await page.close();
});

test('strings from packets and file names are text, never HTML', async () => {
  const work = mkdtempSync(join(tmpdir(), 'pt-xss-'));
  const payloads = ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">'];
  const records = payloads.map((text, i) => ({
    tsSec: 1_700_000_000 + i,
    tsFrac: 0,
    data: ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: '02:00:00:00:00:01',
      etherType: 0x0800,
      payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: udp({ sport: 5000, dport: 5001, payload: ascii(text) }) }),
    }),
  }));
  const name = '<img src=x onerror="window.__pwned=3">.pcap';
  const path = join(work, name);
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  const page = await openApp(session.browser(), session.url());
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'onerror');
  // Rows still loading from the worker cannot be selected: wait for the first one's Info.
  await page.getByTestId('packet-row').first().locator('span').nth(8).waitFor();
  await page.getByTestId('packet-row').first().click();
  await page.getByTestId('hexdump').locator('.hex-line').first().waitFor();
  assert.match((await page.locator('.captures').textContent())!, /<img src=x onerror/);
  const asciiColumn = (await page.getByTestId('hexdump').locator('.hex-ascii').allTextContents()).join('');
  assert.match(asciiColumn, /<script>window\.__pwned = 1<\/script>/, 'the payload shows as text in the ASCII column');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.deepEqual(dialogs, []);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp && !csp.includes('unsafe-eval') && /script-src 'self'/.test(csp), 'a strict Content-Security-Policy');
  await page.close();
});

for (const [width, height, theme] of [
  [1280, 800, 'dark'],
  [1920, 1080, 'light'],
  [1920, 1080, 'dark'],
] as const) {
  test(`the demo at ${width}x${height}, ${theme}`, async () => {
    const page = await openApp(session.browser(), session.url(), { firstVisit: true, width, height, theme });
    await opened(page, 'field-story-1.pcap.gz');
    await page.getByTestId('packet-row').nth(5).locator('span').nth(8).waitFor();
    await page.getByTestId('packet-row').nth(5).click();
    await page.locator('.details-title').filter({ hasText: 'Frame 6:' }).waitFor();
    await idle(page);
    await page.screenshot({ path: join(shots, `demo-${width}-${theme}.png`) });
    await page.close();
  });
}

test("findings: the demo capture's story in lines; a click selects the frame tshark places at the story's time", async () => {
  const demo = join(repoRoot, 'public', 'demo', 'field-story-1.pcap.gz');
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(demo);
  await opened(page, 'field-story-1.pcap.gz');
  const rows = page.getByTestId('finding');
  await rows.first().waitFor({ timeout: 60_000 });
  const kinds = await rows.locator('.finding-kind').allTextContents();
  const storyOrder = ['Repeated frames', 'ARP unanswered', 'ARP unanswered', 'Still receiving', 'LACP state', 'LACP state'];
  let next = 0;
  for (const kind of storyOrder) {
    next = kinds.indexOf(kind, next) + 1;
    assert.ok(next > 0, `${kind} in order among ${kinds.join(', ')}`);
  }
  // 14:13:32.885370: the HSRP hello that proves RX works; tshark says which frame that is.
  const pcap = join(mkdtempSync(join(tmpdir(), 'pt-demo-')), 'field-story-1.pcap');
  writeFileSync(pcap, gunzipSync(readFileSync(demo)));
  const at = `${Math.floor(STORY.hsrpStillArrives / 1e6)}.${String(STORY.hsrpStillArrives % 1e6).padStart(6, '0')}`;
  const { rows: hellos } = await tsharkFields(pcap, ['frame.number', 'frame.time_epoch'], ['-Y', 'hsrp2.state']);
  const hello = hellos.filter((r) => r[1] === `${at}000`);
  assert.equal(hello.length, 1, `one HSRP hello at ${at}`);
  await rows.filter({ hasText: 'Still receiving' }).click();
  await page
    .locator('.details-title')
    .filter({ hasText: `Frame ${hello[0][0]}:` })
    .waitFor();
  await page.screenshot({ path: join(screenshotsDir, 'findings.png') });

  // Overlay lanes: the router's and the switch's LACP ports, the HSRP and VRRP groups, the ARP target, the burst.
  const canvas = page.getByTestId('timeline').locator('canvas');
  await page.waitForFunction(() => (document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement).dataset.overlays?.includes('lacp'));
  const lanes = (await canvas.getAttribute('data-overlays'))!.split('|');
  for (const lane of ['repeated', 'lacp 52:54:00:4b:0a:75/9', 'lacp 00:23:04:ee:be:64/32795', 'HSRPv2 1', 'VRRPv2 100', 'arp 10.100.100.65']) {
    assert.ok(lanes.includes(lane), `lane ${lane} among ${lanes.join(', ')}`);
  }
  await page.close();
});

test('marks: Ctrl+M marks the selected packet, a note sticks, both survive a reload, and export as comments tshark reads', {
  skip: sharedSkipReason,
}, async () => {
  const path = join(sharedCapturesDir()!, 'HSRP_failover.pcap');
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'HSRP_failover.pcap');
  const rows = page.getByTestId('packet-row');
  await rows.nth(4).locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await rows.nth(4).click();
  await page.locator('.details-title').filter({ hasText: 'Frame 5:' }).waitFor();
  await page.keyboard.press('Control+m');
  await page.getByRole('button', { name: /^Marks/ }).click();
  const mark = page.getByTestId('mark');
  await mark.filter({ hasText: 'frame 5' }).waitFor();
  await page.getByLabel('Note for frame 5').fill('standby hello before the failover');

  // A reload: the marks are in IndexedDB under the file's fingerprint.
  await page.locator('section.marks[data-saved="true"]').waitFor();
  await page.reload();
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'HSRP_failover.pcap');
  await mark.filter({ hasText: 'frame 5' }).waitFor();
  assert.equal(await page.getByLabel('Note for frame 5').inputValue(), 'standby hello before the failover');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export marked/ }).click()]);
  const saved = join(mkdtempSync(join(tmpdir(), 'pt-marks-')), 'marked.pcapng');
  await download.saveAs(saved);
  const { rows: exported } = await tsharkFields(saved, ['frame.comment', 'frame.time_epoch', 'frame.len']);
  const { rows: original } = await tsharkFields(path, ['frame.time_epoch', 'frame.len'], ['-Y', 'frame.number == 5']);
  assert.deepEqual(exported, [['standby hello before the failover', ...original[0]]]);

  // The incident bundle: the mark (and the selected packet's view) in one pcapng; a fresh page
  // given only that file shows the mark and its note again.
  const [bundleDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export incident bundle' }).click()]);
  const bundle = join(mkdtempSync(join(tmpdir(), 'pt-bundle-')), bundleDownload.suggestedFilename());
  await bundleDownload.saveAs(bundle);
  const { rows: inBundle } = await tsharkFields(bundle, ['frame.comment']);
  assert.deepEqual(inBundle, [['standby hello before the failover']]);
  await page.close();

  const fresh = await openApp(session.browser(), session.url());
  await fresh.getByTestId('file-input').setInputFiles(bundle);
  await opened(fresh, bundleDownload.suggestedFilename());
  await fresh.getByTestId('mark').filter({ hasText: 'frame 1' }).waitFor();
  assert.equal(await fresh.getByLabel('Note for frame 1').inputValue(), 'standby hello before the failover');
  await fresh.close();
});

/**
 * One TCP handshake seen at two points (field story 4's shape): the client's side, and the
 * server's side one router hop away (TTL one less, other MACs) 45 µs later; the server side
 * misses the client's final ACK.
 */
function handshakeAt(side: 'client' | 'server'): Uint8Array {
  const client = { mac: '00:50:56:01:00:01', ip: '192.168.10.5' };
  const server = { mac: '00:50:56:02:00:02', ip: '10.0.6.20' };
  const router = side === 'client' ? '00:1b:21:0a:00:01' : '00:1b:21:0b:00:01';
  const segment = (fromClient: boolean, flags: string, seq: number, ack: number, ttl: number) =>
    ipv4({
      src: fromClient ? client.ip : server.ip,
      dst: fromClient ? server.ip : client.ip,
      proto: 6,
      ttl,
      id: seq & 0xffff,
      payload: tcp({ sport: fromClient ? 50123 : 5989, dport: fromClient ? 5989 : 50123, seq, ack, flags, window: 64240 }),
    });
  const packets = [
    { at: 1_000, fromClient: true, flags: 'S', seq: 1000, ack: 0 },
    { at: 1_400, fromClient: false, flags: 'SA', seq: 9000, ack: 1001 },
    { at: 1_800, fromClient: true, flags: 'A', seq: 1001, ack: 9001 },
  ];
  const records = packets.flatMap((p) => {
    // Seen second at the far side: 45 µs later, one hop (TTL - 1).
    const far = (side === 'server') === p.fromClient;
    if (side === 'server' && p.fromClient && p.at === 1_800) return [];
    const ip = segment(p.fromClient, p.flags, p.seq, p.ack, far ? 63 : 64);
    const [src, dst] =
      p.fromClient === (side === 'client') ? [p.fromClient ? client.mac : server.mac, router] : [router, p.fromClient ? server.mac : client.mac];
    return [{ tsSec: 1_700_000_000, tsFrac: p.at + (far ? 45 : 0), data: ethernet({ dst, src, etherType: 0x0800, payload: ip }) }];
  });
  return writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
}

test('two captures of one handshake: a lane each, and each packet found at the other point (+45 µs), or said not seen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-merge-'));
  const a = join(dir, 'vmnic2-client-side.pcap');
  const b = join(dir, 'vmnic6-server-side.pcap');
  writeFileSync(a, handshakeAt('client'));
  writeFileSync(b, handshakeAt('server'));
  // tshark's view of the SYN at both points: the delta the page must show.
  const syn = async (file: string) => (await tsharkFields(file, ['frame.time_epoch', 'ip.ttl'], ['-Y', 'tcp.flags == 0x002'])).rows[0];
  const [synA, synB] = [await syn(a), await syn(b)];
  const deltaUs = Math.round((Number(synB[0]) - Number(synA[0])) * 1e6);
  assert.equal(Number(synA[1]) - Number(synB[1]), 1, 'one hop apart');

  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles([a, b]);
  await opened(page, 'vmnic2-client-side.pcap', 'vmnic6-server-side.pcap');
  const canvas = page.getByTestId('timeline').locator('canvas');
  await page.waitForFunction(() => ((document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement).dataset.captureLanes ?? '').includes('|'));
  assert.equal(await canvas.getAttribute('data-capture-lanes'), 'vmnic2-client-side.pcap|vmnic6-server-side.pcap');

  const rows = page.getByTestId('packet-row');
  await rows.first().locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await rows.first().click();
  const seen = page.getByTestId('seen-at');
  await seen.filter({ hasText: `vmnic6-server-side.pcap +${deltaUs}.000 µs` }).waitFor();
  // The client's final ACK never reached the server side (a row still loading cannot be selected: wait for it).
  await rows.last().locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await rows.last().click();
  await page.locator('.details-title').filter({ hasText: 'Frame 3:' }).waitFor();
  await seen.filter({ hasText: 'vmnic6-server-side.pcap – not seen' }).waitFor();
  await page.screenshot({ path: join(screenshotsDir, 'merge.png') });

  // Shift+click marks the run from the selected row: rows 1-3, across both captures.
  await rows.first().click();
  await page.locator('[data-testid="packet-row"][aria-selected="true"]').filter({ hasText: /^1/ }).first().waitFor();
  await rows.nth(2).click({ modifiers: ['Shift'] });
  await page.getByTestId('mark').nth(2).waitFor();
  assert.equal(await page.getByTestId('mark').count(), 3);

  // Save image: the timeline canvas as a PNG, its size that of the canvas, and as SVG vectors with its lane names.
  const saved = (ending: string) => page.waitForEvent('download', (d) => d.suggestedFilename().endsWith(ending));
  const [image, vector] = await Promise.all([saved('.png'), saved('.svg'), page.getByRole('button', { name: 'Save image' }).click()]);
  const svgPath = join(dir, vector.suggestedFilename());
  await vector.saveAs(svgPath);
  const svg = readFileSync(svgPath, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.includes('>vmnic6-server-side.pcap</text>') && (svg.match(/<rect /g) ?? []).length > 20, 'lanes and names as vectors');
  const png = join(dir, image.suggestedFilename());
  await image.saveAs(png);
  const bytes = readFileSync(png);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  const size = await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], size);
  await page.close();
});

test('Copy link: a fresh browser opening the link shows the notes, asks for the capture, and restores filter, marks and selection once it is dropped', {
  skip: sharedSkipReason,
}, async () => {
  const path = join(sharedCapturesDir()!, 'HSRP_failover.pcap');
  const page = await openApp(session.browser(), session.url());
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'HSRP_failover.pcap');
  await page.getByTestId('filter-input').fill('src host 192.168.0.30');
  await page.getByTestId('filter-input').press('Enter');
  const expected = (await tsharkFields(path, ['frame.number'], ['-Y', 'ip.src == 192.168.0.30'])).rows.map((r) => r[0]);
  await page
    .getByTestId('filter-count')
    .filter({ hasText: `${expected.length} of` })
    .waitFor();
  const rows = page.getByTestId('packet-row');
  await rows.nth(2).locator('span').nth(8).filter({ hasNotText: '…' }).waitFor();
  await rows.nth(2).click();
  await page
    .locator('.details-title')
    .filter({ hasText: `Frame ${expected[2]}:` })
    .waitFor();
  await page.keyboard.press('Control+m');
  await page.getByRole('button', { name: /^Marks/ }).click();
  await page.getByLabel(`Note for frame ${expected[2]}`).fill('the standby takes over here');
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  assert.match(link, /#view=/);
  assert.ok(link.length < 2000, `${link.length} characters`);
  await page.close();

  // A new browser context: no IndexedDB, no history; only the link.
  const fresh = await openApp(session.browser(), link);
  const banner = fresh.getByTestId('shared-view');
  await banner.filter({ hasText: 'HSRP_failover.pcap' }).waitFor();
  assert.match((await banner.textContent())!, /the standby takes over here/);
  await fresh.getByTestId('file-input').setInputFiles(path);
  await opened(fresh, 'HSRP_failover.pcap');
  await banner.waitFor({ state: 'detached' });
  assert.equal(await fresh.getByTestId('filter-input').inputValue(), 'src host 192.168.0.30');
  await fresh
    .getByTestId('filter-count')
    .filter({ hasText: `${expected.length} of` })
    .waitFor();
  await fresh
    .getByTestId('mark')
    .filter({ hasText: `frame ${expected[2]}` })
    .waitFor();
  assert.equal(await fresh.getByLabel(`Note for frame ${expected[2]}`).inputValue(), 'the standby takes over here');
  await fresh
    .locator('.details-title')
    .filter({ hasText: `Frame ${expected[2]}:` })
    .waitFor();
  await fresh.screenshot({ path: join(screenshotsDir, 'shared-view.png') });
  await fresh.close();
});

test('wheel zoom keeps the time under the pointer where it was, to within a pixel', async () => {
  const records = Array.from({ length: 2000 }, (_, i) => ({
    tsSec: 1_700_000_000 + Math.floor(i / 20),
    tsFrac: (i % 20) * 50_000,
    data: ethernet({
      dst: '02:00:00:00:00:02',
      src: '02:00:00:00:00:01',
      etherType: 0x0800,
      payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, payload: udp({ sport: 1, dport: 2, payload: ascii('x') }) }),
    }),
  }));
  const path = join(mkdtempSync(join(tmpdir(), 'pt-wheel-')), 'wheel.pcap');
  writeFileSync(path, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  const page = await openApp(session.browser(), session.url(), { width: 1440, height: 900 });
  await page.getByTestId('file-input').setInputFiles(path);
  await opened(page, 'wheel.pcap');
  const canvas = page.getByTestId('timeline').locator('canvas');
  const box = (await canvas.boundingBox())!;
  // The plot starts after the lane labels' gutter (112 px) and ends 8 px before the edge.
  const plotLeft = 112;
  const plotWidth = box.width - plotLeft - 8;
  const timeAt = ([from, to]: [number, number], x: number) => from + ((x - plotLeft) / plotWidth) * (to - from);
  for (const fraction of [0.1, 0.5, 0.85]) {
    const x = plotLeft + fraction * plotWidth;
    await page.mouse.move(box.x + x, box.y + 40);
    const before = await viewport(page);
    await page.mouse.wheel(0, -240);
    await page.waitForFunction(
      (old) => (document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement).dataset.viewport !== old,
      before.join(','),
    );
    const after = await viewport(page);
    assert.ok(after[1] - after[0] < before[1] - before[0], 'zoomed in');
    const pixelSec = (after[1] - after[0]) / plotWidth;
    assert.ok(
      Math.abs(timeAt(after, x) - timeAt(before, x)) < pixelSec,
      `at ${Math.round(x)} px: ${timeAt(before, x)} s before, ${timeAt(after, x)} s after (a pixel is ${pixelSec} s)`,
    );
  }
  await page.close();
});
