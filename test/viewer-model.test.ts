/**
 * The viewer model (src/ui/app) under Node, against the real session: a Workspace behind an
 * adapter with the worker's shape (every call answered later, as across the worker boundary).
 * Counts and times are checked against tshark, not against the model's own output.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { OverlayLane } from '../src/analysis/overlays.ts';
import { Workspace } from '../src/session/workspace.ts';
import type { TimelinePort } from '../src/ui/app/context.ts';
import type { ViewerEngine } from '../src/ui/app/engine-port.ts';
import { pressKey, type KeyActions } from '../src/ui/app/keys.ts';
import type { Platform } from '../src/ui/app/platform.ts';
import { ViewerModel } from '../src/ui/app/viewer-model.ts';
import type { SavedMarks } from '../src/ui/marks/marks-storage.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { arp, ethernet, ipv4, udp } from '../kit/frames.ts';
import { tsharkFields } from './support/oracle.ts';

const work = mkdtempSync(join(tmpdir(), 'pt-viewer-model-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The Workspace with the worker's shape: each call starts after the caller's turn and answers with a promise. */
function engineOf(workspace: Workspace): ViewerEngine {
  return new Proxy({} as ViewerEngine, {
    get(_, name) {
      if (name === 'then') return undefined;
      const method = (workspace as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>)[name];
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return method.apply(workspace, args);
      };
    },
  });
}

/** The page around the model: settings and marks in memory, the address bar a string, downloads kept. */
function platformOf(options: { hash?: string; visited?: boolean; marks?: Map<string, unknown> } = {}): Platform & { downloads: string[]; hash: string } {
  const settings = new Map<string, string>(options.visited === false ? [] : [['pt-visited', '1']]);
  const stored = options.marks ?? new Map<string, unknown>();
  const platform = {
    hash: options.hash ?? '',
    downloads: [] as string[],
    readSetting: (key: string) => settings.get(key) ?? null,
    writeSetting: (key: string, value: string) => {
      settings.set(key, value);
      return true;
    },
    loadMarks: async (fingerprint: string) => ({ ok: true as const, value: stored.get(`marks:${fingerprint}`) }),
    saveMarks: async (fingerprint: string, saved: SavedMarks) => {
      stored.set(`marks:${fingerprint}`, saved);
      stored.set(`name:${saved.name}`, fingerprint);
      return { ok: true as const, value: undefined };
    },
    fingerprintForName: async (name: string) => stored.get(`name:${name}`) as string | undefined,
    fetchDemo: async () => fileOf('field-story-1.pcap.gz', capture('demo-stand-in', 40_000, 1_512_479_565)),
    download: (_blob: Blob, name: string) => void platform.downloads.push(name),
    pickSaveFile: async () => undefined,
    canPickFile: () => false,
    copyText: () => {},
    readHash: () => platform.hash,
    writeHash: (fragment: string) => {
      platform.hash = fragment;
      return `http://127.0.0.1/${fragment}`;
    },
    applyTheme: () => ({ background: '', text: '', muted: '', grid: '', laneBackground: '', cursor: '', hover: '', window: '' }),
    prefersDark: () => false,
  };
  return platform;
}

/** A timeline that records what the model asks it to draw. */
function recordingTimeline(): TimelinePort & { lanes: OverlayLane[]; markTimes: number[] } {
  const port = {
    lanes: [] as OverlayLane[],
    markTimes: [] as number[],
    currentViewport: { fromSec: 0, toSec: 1 },
    setOverview: () => {},
    setOverlays: (lanes: OverlayLane[]) => void (port.lanes = lanes),
    setMarks: (marks: number[]) => void (port.markTimes = marks),
    setSelected: () => {},
    setLinks: () => {},
    setWindow: () => {},
    setMode: () => {},
    setTheme: () => {},
    zoomTo: () => {},
    refresh: () => {},
    key: () => false,
    image: async () => new Blob([]),
    svg: () => new Blob([]),
  };
  return port;
}

const frameOf = (i: number) =>
  ethernet({
    dst: '02:00:00:00:00:02',
    src: '02:00:00:00:00:01',
    etherType: 0x0800,
    payload: ipv4({
      src: '192.0.2.1',
      dst: `192.0.2.${2 + (i % 200)}`,
      proto: 17,
      payload: udp({ sport: 5000, dport: 6000 + (i % 3), payload: new Uint8Array(8) }),
    }),
  });

/** `count` UDP packets, 10 a second from `startSec`. */
function capture(name: string, count: number, startSec: number): Uint8Array {
  const records = Array.from({ length: count }, (_, i) => ({ tsSec: startSec + Math.floor(i / 10), tsFrac: (i % 10) * 100_000, data: frameOf(i) }));
  const bytes = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
  writeFileSync(join(work, name), bytes);
  return bytes;
}

/** One host asking five times, a second apart, for a neighbour that never answers (an arp-unanswered finding and its lane). */
function unansweredArp(name: string, startSec: number): Uint8Array {
  const request = ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:0a',
    etherType: 0x0806,
    payload: arp({ op: 1, senderMac: '02:00:00:00:00:0a', senderIp: '10.9.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.9.0.99' }),
  });
  const records = Array.from({ length: 5 }, (_, i) => ({ tsSec: startSec + i, tsFrac: 250_000, data: request }));
  const bytes = writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records });
  writeFileSync(join(work, name), bytes);
  return bytes;
}

const fileOf = (name: string, bytes: Uint8Array) => new File([bytes as BlobPart], name);
const tsharkCount = async (name: string) => (await tsharkFields(join(work, name), ['frame.number'])).rows.length;

function newModel(platform = platformOf()): { model: ViewerModel; timeline: ReturnType<typeof recordingTimeline>; platform: ReturnType<typeof platformOf> } {
  const model = new ViewerModel({ engine: engineOf(new Workspace()), platform });
  const timeline = recordingTimeline();
  model.attachTimeline(timeline);
  return { model, timeline, platform };
}

/** Resolves once the model has nothing in flight (findings included), polled as the page's idle signal is. */
async function settled(model: ViewerModel): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    quiet = model.activity.busy ? 0 : quiet + 1;
  }
}

test('open, mark, clock offset: the mark, the finding, its lane and the list row move by the offset', async () => {
  const { model, timeline } = newModel();
  const udpBytes = capture('calm.pcap', 200, 1_700_000_000);
  const arpBytes = unansweredArp('asks.pcap', 1_700_000_004);
  await model.open([fileOf('calm.pcap', udpBytes), fileOf('asks.pcap', arpBytes)]);
  await settled(model);
  let s = model.getSnapshot();
  assert.equal(s.overview!.packets, (await tsharkCount('calm.pcap')) + (await tsharkCount('asks.pcap')));
  const asks = s.opened.find((o) => o.name === 'asks.pcap')!;
  const finding = s.findings!.find((f) => f.kind === 'arp-unanswered')!;
  assert.ok(finding, `an arp-unanswered finding among ${s.findings!.map((f) => f.kind).join(', ')}`);
  const lane = () => timeline.lanes.find((l) => l.group === 'ARP')!;
  const tickBefore = lane().ticks[0];

  // Mark the ARP request's row (the first of asks.pcap in time order).
  const index = (await model.fetchRows(0, s.overview!.packets, 0)).findIndex((r) => r.capture === asks.id);
  const rowBefore = (await model.fetchRows(index, 1, 0))[0];
  await model.select(index);
  model.toggleMark();
  await settled(model);
  s = model.getSnapshot();
  assert.equal(s.marks.marks.length, 1);
  const markBefore = s.marks.marks[0];
  assert.equal(markBefore.frame, 1);

  const offsetSec = 2.5;
  await model.setClockOffset(asks.id, offsetSec);
  await settled(model);
  s = model.getSnapshot();
  const moved = (after: number, before: number, what: string) =>
    assert.ok(Math.abs(after - before - offsetSec) < 1e-6, `${what} moved ${after - before} s, not ${offsetSec}`);
  moved(s.marks.marks[0].timeSec, markBefore.timeSec, 'the mark');
  moved(timeline.markTimes[0], markBefore.timeSec, 'the mark on the timeline');
  const after = s.findings!.find((f) => f.kind === 'arp-unanswered')!;
  moved(after.fromSec, finding.fromSec, "the finding's span");
  moved(after.start.sec + after.start.ns / 1e9, finding.start.sec + finding.start.ns / 1e9, "the finding's time");
  moved(lane().ticks[0], tickBefore, "the finding's lane tick");
  // The same packet, still selected, shows its new time in the list.
  const selected = s.selected!;
  assert.equal(s.details?.title.startsWith('Frame 1:'), true);
  const rowAfter = (await model.fetchRows(selected.index, 1, 0))[0];
  assert.equal(rowAfter.capture, asks.id);
  moved(rowAfter.tsSec + rowAfter.tsNs / 1e9, rowBefore.tsSec + rowBefore.tsNs / 1e9, 'the Time column');
});

test('a shared view restores the filter, the marks and their notes, and the selection', async () => {
  const bytes = capture('shared.pcap', 300, 1_700_000_100);
  const first = newModel();
  await first.model.open([fileOf('shared.pcap', bytes)]);
  await first.model.applyFilter('udp dst port 6001');
  await settled(first.model);
  const expected = (await tsharkFields(join(work, 'shared.pcap'), ['frame.number'], ['-Y', 'udp.dstport == 6001'])).rows.map((r) => Number(r[0]));
  assert.equal(first.model.getSnapshot().filter!.matched, expected.length);
  await first.model.select(3);
  first.model.toggleMark();
  await settled(first.model);
  first.model.marks.setNote(first.model.getSnapshot().marks.marks[0], 'look here');
  await first.model.copyLink();
  assert.match(first.platform.hash, /^#view=/);

  // A fresh page with only the link: nothing saved, nothing open.
  const fresh = newModel(platformOf({ hash: first.platform.hash }));
  await fresh.model.start();
  assert.equal(fresh.model.getSnapshot().shared.pending?.captures[0].name, 'shared.pcap');
  await fresh.model.open([fileOf('shared.pcap', bytes)]);
  await settled(fresh.model);
  const s = fresh.model.getSnapshot();
  assert.equal(s.shared.pending, null);
  assert.equal(s.filterText, 'udp dst port 6001');
  assert.equal(s.filter!.matched, expected.length);
  assert.deepEqual(
    s.marks.marks.map((m) => [m.frame, m.note, m.fromView]),
    [[expected[3], 'look here', true]],
  );
  assert.equal(s.selected!.index, 3);
  assert.match(s.details!.title, new RegExp(`^Frame ${expected[3]}:`));
});

test('Open replaces what is open, Add merges, × closes one capture, and the saved marks come back', async () => {
  const a = capture('a.pcap', 120, 1_700_000_200);
  const b = capture('b.pcap', 70, 1_700_000_300);
  const marks = new Map<string, unknown>();
  const { model } = newModel(platformOf({ marks }));
  await model.open([fileOf('a.pcap', a)]);
  await model.select(4);
  model.toggleMark();
  await settled(model);
  await model.open([fileOf('b.pcap', b)]);
  let s = model.getSnapshot();
  assert.deepEqual(
    s.opened.map((o) => o.name),
    ['b.pcap'],
  );
  assert.equal(s.overview!.packets, await tsharkCount('b.pcap'));
  assert.deepEqual(s.marks.marks, [], "a's mark left the view with a");

  await model.open([fileOf('a.pcap', a)], 'add');
  await settled(model);
  s = model.getSnapshot();
  assert.deepEqual(
    s.opened.map((o) => o.name),
    ['b.pcap', 'a.pcap'],
  );
  assert.equal(s.overview!.packets, (await tsharkCount('a.pcap')) + (await tsharkCount('b.pcap')));
  assert.deepEqual(
    s.marks.marks.map((m) => [m.captureName, m.frame]),
    [['a.pcap', 5]],
    "a's saved mark is back",
  );

  // × on b: a alone, its mark still there; × on a: nothing open.
  await model.close(s.opened[0]);
  await settled(model);
  s = model.getSnapshot();
  assert.deepEqual(
    s.opened.map((o) => o.name),
    ['a.pcap'],
  );
  assert.equal(s.overview!.packets, await tsharkCount('a.pcap'));
  assert.equal((await model.fetchRows(0, 1, 0))[0].capture, s.opened[0].id);
  assert.deepEqual(
    s.marks.marks.map((m) => [m.captureName, m.frame]),
    [['a.pcap', 5]],
  );
  await model.close(s.opened[0]);
  s = model.getSnapshot();
  assert.deepEqual([s.opened.length, s.overview!.packets, s.marks.marks.length], [0, 0, 0]);
});

test("files given during a read are not lost: the demo is cancelled for them, the user's own read finishes first", async () => {
  const mine = capture('mine.pcap', 50, 1_700_000_400);
  const { model } = newModel();
  const demo = model.openDemo();
  // Given while the demo is being read: the demo is cancelled, mine opens alone.
  while (!model.getSnapshot().reading) await new Promise((resolve) => setImmediate(resolve));
  const opening = model.open([fileOf('mine.pcap', mine)]);
  assert.deepEqual(model.getSnapshot().waiting, [{ names: ['mine.pcap'], how: 'replace' }]);
  await Promise.all([demo, opening]);
  let s = model.getSnapshot();
  assert.deepEqual(
    s.opened.map((o) => o.name),
    ['mine.pcap'],
  );
  assert.equal(s.overview!.packets, await tsharkCount('mine.pcap'));

  // During the user's own read, a second file waits, then is added as asked.
  const big = capture('big.pcap', 60_000, 1_700_001_000);
  const reading = model.open([fileOf('big.pcap', big)]);
  while (!model.getSnapshot().reading) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(model.getSnapshot().reading, { demo: false, names: ['big.pcap'] });
  const added = model.open([fileOf('mine.pcap', mine)], 'add');
  assert.deepEqual(model.getSnapshot().waiting, [{ names: ['mine.pcap'], how: 'add' }]);
  await Promise.all([reading, added]);
  s = model.getSnapshot();
  assert.deepEqual(
    s.opened.map((o) => [o.name, o.cancelled]),
    [
      ['big.pcap', false],
      ['mine.pcap', false],
    ],
  );
  assert.equal(s.overview!.packets, (await tsharkCount('big.pcap')) + (await tsharkCount('mine.pcap')));
  assert.deepEqual(s.waiting, []);
});

test('keys: one table; single keys never fire in a text field, Ctrl chords do, Esc there leaves it', () => {
  const done: string[] = [];
  const actions: KeyActions = {
    toggleMark: () => void done.push('mark'),
    goToMark: (forward) => void done.push(forward ? 'next' : 'previous'),
    clearWindow: () => void done.push('window'),
    togglePanel: (p) => void done.push(p),
    timelineKey: (k) => {
      done.push(`timeline ${k}`);
      return true;
    },
  };
  const press = (key: string, inTextField: boolean, ctrl = false, shift = false) => pressKey({ key, ctrl, shift, alt: false, inTextField }, actions);
  assert.equal(press('k', true), null);
  assert.equal(press('w', true), null);
  assert.equal(press('Escape', true), 'leave-field');
  assert.equal(press('m', true, true), 'handled');
  assert.equal(press('N', false, true, true), 'handled');
  assert.equal(press('K', false), 'handled');
  assert.equal(press('s', false), 'handled');
  assert.equal(press('Escape', false), 'handled');
  assert.equal(press('x', false), null);
  assert.deepEqual(done, ['mark', 'next', 'marks', 'timeline s', 'window']);
});
