/**
 * The viewer as a user meets it: the app's production build (dist/index.html) in Chromium,
 * the bench capture opened through the file input as a drop would, then
 *   1. time to the first timeline paint (User Timing 'ingest-start' → the first 'timeline-draw'
 *      measure that drew packets), and the ingest ('ingest' measure);
 *   2. frame intervals while zooming and panning with W/S/A/D and the wheel (a
 *      requestAnimationFrame loop in the page), and from each input to its answer drawn;
 *   3. time from setting the list's scrollTop to every visible row showing its content.
 * Everything is timed inside the page; Node only drives it, through the app's documented
 * hooks: the User Timing entries, the canvas's data-viewport and the idle signal
 * (<html data-idle>, src/ui/app/idle-signal.ts).
 */
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import type { Page } from 'playwright-core';
import { idle, openApp } from '../e2e/support/app.ts';
import { launchChromium, serveDist } from '../e2e/support/browser.ts';
import { GUTTER_PX } from '../src/ui/timeline/layout.ts';
import { firstRowAt, ROW_PX, scrollTopFor } from '../src/ui/list/scaled-scroll.ts';
import { samples, type Samples, type ViewerFigure } from './figures.ts';
import type { BenchCapture } from './generate.ts';
import { buildApp } from './chromium-part.ts';
import type { ViewerSection } from './report.ts';
import { SeededRandom } from '../kit/random.ts';

export interface ViewerResult {
  version: string;
  /** os.loadavg() (1, 5, 15 min) when the part started and ended. */
  load: { before: number[]; after: number[] };
  packets: number;
  /** 'ingest-start' (the file input's change) → the first timeline frame that drew packets. */
  firstPaintMs: number;
  /** The app's 'ingest' measure: open() from start to return. */
  ingestMs: number;
  frames: {
    steps: number;
    /** Steps after which the viewport did not change (clamped at an edge); not waited for. */
    noops: number;
    /** Interval between consecutive animation frames while nothing happens: the display's period. */
    idle: Samples;
    /** The same during the whole interaction. */
    busy: Samples;
    /** Intervals of the interaction longer than LATE_MS: at least one frame missed. */
    late: number;
    /** The timeline's draw per frame (its 'timeline-draw' measures). */
    draws: Samples;
    /** From each input event (event.timeStamp) to the frame after its timeline answer arrived. */
    inputToDrawn: Samples;
    wallMs: number;
  };
  scroll: {
    /** Until the frame that paints the rows starts (the figure). */
    paint: Samples;
    /** Until the DOM held the rows' content. */
    content: Samples;
    rows: number[];
  };
}

const FIRST_DATA_TIMEOUT_MS = 300_000;
/** The app's ingest is far slower than bench.html's on big captures (its polling): be patient. */
const INGEST_TIMEOUT_MS = 3_600_000;
/** One frame at 60 Hz: the shortest interval between frames the page gets. */
const FRAME_MS = 1000 / 60;
const LATE_MS = 1.5 * FRAME_MS;
/** How long the frames are watched with nothing happening (the display's own period). */
const IDLE_MS = 1000;

/**
 * `build`: run vite build first (the Chromium part does it when it runs). `warm` puts the
 * capture back in the page cache before the open (see machine.ts).
 */
export async function benchViewer(capture: BenchCapture, warm: () => Promise<unknown>, build: boolean): Promise<ViewerResult> {
  if (build) buildApp();
  const before = loadavg();
  const server = await serveDist();
  const browser = await launchChromium();
  try {
    // Not a first visit: the demo capture must not open.
    const page = await openApp(browser, server.url);
    // The probe must be in place before the app creates its worker: install, then reload.
    await page.addInitScript({ content: PROBE });
    await page.reload();
    await page.getByTestId('file-input').waitFor({ state: 'attached' });

    await warm();
    await page.getByTestId('file-input').setInputFiles(capture.path);
    await page.waitForFunction(() => probe().firstDataAt !== null, null, { timeout: FIRST_DATA_TIMEOUT_MS, polling: 100 });
    await page.waitForFunction(() => performance.getEntriesByName('ingest', 'measure').length > 0, null, { timeout: INGEST_TIMEOUT_MS, polling: 500 });
    await page.locator('.captures li', { hasText: basename(capture.path) }).waitFor();
    await page.getByTestId('ingest-progress').waitFor({ state: 'detached' });
    const packets = Number((await page.getByTestId('packet-count').textContent())!.replace(/,/g, ''));
    if (packets !== capture.packets) throw new Error(`the app shows ${packets} packets of ${capture.packets}`);
    const marks = await page.evaluate(() => ({
      start: performance.getEntriesByName('ingest-start', 'mark')[0].startTime,
      firstData: probe().firstDataAt!,
      ingest: performance.getEntriesByName('ingest', 'measure')[0].duration,
    }));

    const frames = await zoomAndPan(page);
    const scroll = await scrollList(page, packets);
    return {
      version: browser.version(),
      load: { before, after: loadavg() },
      packets,
      firstPaintMs: marks.firstData - marks.start,
      ingestMs: marks.ingest,
      frames,
      scroll,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

type Step = { key: 'w' | 's' | 'a' | 'd' } | { wheel: number; at: number };

/**
 * 125 steps: five rounds, each zooming in deep at a different place (wheel at 10 %, 30 %,
 * ... 90 % of the plot, then W), panning (D, A), zooming in again, then back out (S, wheel),
 * so that the rounds land across the whole capture. The mouse stays over the canvas after
 * the first wheel, so W/S zoom at the cursor as they do for a user.
 */
export function interactionPlan(): Step[] {
  const steps: Step[] = [];
  const repeat = (n: number, step: Step) => {
    for (let i = 0; i < n; i++) steps.push(step);
  };
  for (const at of [0.1, 0.3, 0.5, 0.7, 0.9]) {
    repeat(3, { wheel: -200, at });
    repeat(5, { key: 'w' });
    repeat(3, { key: 'd' });
    repeat(2, { key: 'a' });
    repeat(2, { wheel: -200, at });
    repeat(5, { key: 's' });
    repeat(5, { wheel: 200, at });
  }
  return steps;
}

async function zoomAndPan(page: Page): Promise<ViewerResult['frames']> {
  const canvas = page.locator('[data-testid="timeline"] canvas');
  const box = (await canvas.boundingBox())!;
  // Keys go to the page, not to the file input or the list.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.body.focus();
  });
  await idle(page);
  const idleFrames = samples(intervals(await page.evaluate((ms) => probe().framesFor(ms), IDLE_MS)));

  const steps = interactionPlan();
  let shown = (await canvas.getAttribute('data-viewport'))!;
  let noops = 0;
  let mouseAt = -1;
  const started = Date.now();
  await page.evaluate(() => probe().startFrames());
  await page.evaluate(() => probe().draws.splice(0));
  for (const step of steps) {
    if ('key' in step) {
      await page.keyboard.press(step.key);
    } else {
      if (step.at !== mouseAt) {
        await page.mouse.move(box.x + GUTTER_PX + (box.width - GUTTER_PX - 8) * step.at, box.y + 60);
        mouseAt = step.at;
      }
      await page.mouse.wheel(0, step.wheel);
    }
    const now = await page.evaluate(([old, timeout]) => probe().afterChange(old, timeout), [shown, 1000] as const);
    if (now === null) noops++;
    else shown = now;
  }
  // The last answers still count: wait until they are drawn.
  await idle(page);
  const wallMs = Date.now() - started;
  const busyIntervals = intervals(await page.evaluate(() => probe().stopFrames()));
  const busy = samples(busyIntervals);
  const late = busyIntervals.filter((ms) => ms > LATE_MS).length;
  const inputToDrawn = samples(await page.evaluate(() => probe().inputToDrawn.splice(0)));
  const draws = samples(await page.evaluate(() => probe().draws.splice(0)));
  return { steps: steps.length, noops, idle: idleFrames, busy, late, draws, inputToDrawn, wallMs };
}

/** Ten seeded random rows; for each, the scrollTop that puts it first in view (scaled-scroll.ts). */
async function scrollList(page: Page, packets: number): Promise<ViewerResult['scroll']> {
  const table = page.getByTestId('packet-table');
  const viewportPx = await table.evaluate((el) => el.clientHeight);
  const visible = Math.floor(viewportPx / ROW_PX);
  const random = new SeededRandom(3);
  const paint: number[] = [];
  const content: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < 10; i++) {
    const row = random.int(Math.max(1, packets - visible));
    const top = Math.round(scrollTopFor(row, packets, viewportPx));
    // The row the list will put first for that scrollTop: the first row expected.
    const first = Math.max(0, Math.min(firstRowAt(top, packets, viewportPx), packets - 1));
    await idle(page);
    const r = await page.evaluate(([t, f]) => probe().scrollTo(t, f, 10_000), [top, first] as const);
    if (!r.ok)
      throw new Error(`list scrolled to ${top} (row ${first}) did not show its rows within 10 s: scrollTop ${r.scrollTop}, first row shown ${r.first}`);
    paint.push(r.paintMs);
    content.push(r.contentMs);
    rows.push(first);
  }
  return { paint: samples(paint), content: samples(content), rows };
}

/** The rows and notes of the report's "Viewer" section. */
export function viewerSection(r: ViewerResult, benchIngestMs?: number): ViewerSection {
  const one = (ms: number): Samples => samples([ms]);
  const { frames, scroll } = r;
  const figures: ViewerFigure[] = [
    {
      name: 'First timeline paint after the drop',
      value: one(r.firstPaintMs),
      how: "'ingest-start' mark (file input change) to the end of the first 'timeline-draw' measure that drew packets",
    },
    { name: "Ingest (the app's 'ingest' measure)", value: one(r.ingestMs), how: "'ingest-start' to open() returned; waited for before the figures below" },
    {
      name: 'Frame interval, zoom and pan',
      value: frames.busy,
      target: 'median <= 16.7 ms',
      pass: frames.busy.median <= FRAME_MS + 0.5,
      how: `rAF loop in the page over ${frames.steps} steps (W/S/A/D, wheel); ${frames.late} of ${frames.busy.n} intervals > ${LATE_MS.toFixed(0)} ms`,
    },
    {
      name: 'Timeline draw per frame, zoom and pan',
      value: frames.draws,
      target: 'median < 16 ms',
      pass: frames.draws.median < 16,
      how: "the app's 'timeline-draw' measures (the draw only), every frame of the steps",
    },
    {
      name: 'Input to its timeline answer drawn',
      value: frames.inputToDrawn,
      how: "key/wheel event.timeStamp to the frame after the worker's answer to the request it made",
    },
    {
      name: 'List scroll to a random row',
      value: scroll.paint,
      target: 'max < 100 ms',
      pass: scroll.paint.max < 100,
      how: 'scrollTop set to the frame that paints every visible row filled (10 seeded rows)',
    },
  ];
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const notes = [
    {
      name: 'frame target',
      value: `issue 3 asks a median frame time < 16 ms; frames come at the display's rate, so their interval cannot go below ${FRAME_MS.toFixed(1)} ms at 60 Hz: it is checked against one frame (+0.5 ms for timer rounding), and the timeline's draw time against < 16 ms`,
    },
    {
      name: 'idle frame interval',
      value: `median ${ms(frames.idle.median)}, max ${ms(frames.idle.max)} (the same rAF loop for 1 s before the steps, nothing happening: the display's period)`,
    },
    {
      name: 'zoom and pan steps',
      value: `${frames.steps} in ${(frames.wallMs / 1000).toFixed(1)} s; each waits until the canvas's data-viewport changed, then one frame${frames.noops ? `; ${frames.noops} changed nothing (edge) and were not waited for` : ''}`,
    },
    {
      name: 'list scroll, DOM only',
      value: `median ${ms(scroll.content.median)}, max ${ms(scroll.content.max)} until the DOM held the rows (MutationObserver), before the frame that paints them; rows ${scroll.rows.join(', ')}`,
    },
    ...(benchIngestMs
      ? [
          {
            name: 'ingest, app vs bench.html',
            value: `${(r.ingestMs / benchIngestMs).toFixed(2)}x the Chromium part's ingest (${(benchIngestMs / 1000).toFixed(2)} s, the same worker without the page's polling and drawing)`,
          },
        ]
      : []),
    { name: 'timeline draw', value: "each frame's 'timeline-draw' User Timing measure, seen by a PerformanceObserver (the app clears them as it makes them)" },
  ];
  return { date: new Date().toISOString(), packets: r.packets, chromium: r.version, load: r.load, figures, notes };
}

const intervals = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]);

/** What PROBE puts on window, for the calls above (each runs in the page). */
interface Probe {
  inputToDrawn: number[];
  /** Each timeline frame's draw time ('timeline-draw' measures) since the page loaded. */
  draws: number[];
  /** When the first frame that drew packets after 'ingest-start' ended (performance.now() time), or null. */
  firstDataAt: number | null;
  startFrames(): void;
  stopFrames(): number[];
  /** The animation frames' times during `ms`, nothing else happening. */
  framesFor(ms: number): Promise<number[]>;
  /** Resolves one frame after the timeline's data-viewport differs from `old`; null after `timeoutMs`. */
  afterChange(old: string, timeoutMs: number): Promise<string | null>;
  scrollTo(
    top: number,
    first: number,
    timeoutMs: number,
  ): Promise<{ ok: boolean; paintMs: number; contentMs: number; scrollTop: number; first: string | undefined }>;
}

// Runs in the page, where `window.__viewerProbe` is what PROBE installed.
declare function probe(): Probe;

/**
 * Installed before the app's own scripts (as text: tsx's helpers must not leak into the page).
 * `probe()` is a global function so that page.evaluate callbacks above stay one-liners.
 * The ingest worker is wrapped so that timeline requests (comlink 'APPLY' of 'timeline') and
 * their answers are seen; a request made while an input event is being dispatched is that
 * input's, and the frame after its answer arrives is the one that draws it (the controller
 * draws in requestAnimationFrame; ours is registered after its own).
 */
const PROBE = `(() => {
  const state = { inputAt: null, pending: new Map(), inputToDrawn: [], frames: null, draws: [] };
  const api = {
    inputToDrawn: state.inputToDrawn,
    draws: state.draws,
    firstDataAt: null,
    startFrames() {
      const times = [];
      state.frames = times;
      const loop = (t) => {
        if (state.frames !== times) return;
        times.push(t);
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    },
    stopFrames() {
      const times = state.frames || [];
      state.frames = null;
      return times;
    },
    framesFor(ms) {
      api.startFrames();
      return new Promise((resolve) => setTimeout(() => resolve(api.stopFrames()), ms));
    },
    afterChange(old, timeoutMs) {
      const canvas = document.querySelector('[data-testid="timeline"] canvas');
      const until = performance.now() + timeoutMs;
      return new Promise((resolve) => {
        const check = () => {
          const now = canvas.dataset.viewport;
          if (now !== old) requestAnimationFrame(() => resolve(now));
          else if (performance.now() > until) resolve(null);
          else requestAnimationFrame(check);
        };
        check();
      });
    },
    scrollTo(top, first, timeoutMs) {
      const el = document.querySelector('[data-testid="packet-table"]');
      const started = performance.now();
      return new Promise((resolve) => {
        let done = false;
        let contentMs = 0;
        const rows = () => el.querySelectorAll('[data-testid="packet-row"]');
        const ready = () => {
          const shown = rows();
          if (shown.length === 0 || Number(shown[0].dataset.position) !== first) return false;
          for (const row of shown) if (row.classList.contains('loading')) return false;
          return true;
        };
        const finish = (ok) => {
          if (done) return;
          done = true;
          observer.disconnect();
          contentMs = performance.now() - started;
          requestAnimationFrame(() => resolve({ ok, contentMs, paintMs: performance.now() - started, scrollTop: el.scrollTop, first: rows()[0]?.dataset.position }));
        };
        const observer = new MutationObserver(() => ready() && finish(true));
        observer.observe(el, { childList: true, subtree: true, attributes: true, characterData: true });
        const poll = () => {
          if (done) return;
          if (ready()) finish(true);
          else if (performance.now() - started > timeoutMs) finish(false);
          else requestAnimationFrame(poll);
        };
        el.scrollTop = top;
        requestAnimationFrame(poll);
      });
    },
  };
  window.probe = () => api;

  // The app measures each timeline frame ('timeline-draw', its detail the packets drawn) and clears it at once.
  new PerformanceObserver((list) => {
    const start = performance.getEntriesByName('ingest-start', 'mark')[0];
    for (const e of list.getEntries()) {
      if (e.name !== 'timeline-draw') continue;
      state.draws.push(e.duration);
      if (api.firstDataAt === null && start && e.startTime >= start.startTime && e.detail && e.detail.packets > 0) api.firstDataAt = e.startTime + e.duration;
    }
  }).observe({ type: 'measure' });

  const onInput = (e) => {
    state.inputAt = e.timeStamp;
    setTimeout(() => { state.inputAt = null; });
  };
  addEventListener('keydown', onInput, true);
  addEventListener('wheel', onInput, { capture: true, passive: true });

  // After an answer's promise chain has run (the controller has scheduled its frame), ask for
  // the next frame: it starts when the answer is being drawn.
  const answered = new MessageChannel();
  answered.port1.onmessage = (e) => {
    const inputAt = e.data;
    requestAnimationFrame(() => state.inputToDrawn.push(performance.now() - inputAt));
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (!options || options.name !== 'ingest') return;
      this.addEventListener('message', (e) => {
        const id = e.data && e.data.id;
        if (!state.pending.has(id)) return;
        const inputAt = state.pending.get(id);
        if (inputAt !== null) answered.port2.postMessage(inputAt);
        state.pending.delete(id);
      });
    }
    postMessage(message, transfer) {
      if (message && message.type === 'APPLY' && message.path && message.path[0] === 'timeline') state.pending.set(message.id, state.inputAt);
      return super.postMessage(message, transfer);
    }
  };
})();`;
