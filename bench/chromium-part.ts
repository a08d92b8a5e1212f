/**
 * The browser side: the production build's ingest worker in Chromium, driven through
 * bench.html (src/bench/bench-page.ts). The file goes in with setInputFiles, so Chromium
 * reads it from disk (page cache) as it would a dropped file; nothing is copied.
 */
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDist } from '../e2e/support/browser.ts';
import type { BenchApi } from '../src/bench/bench-page.ts';
import type { BenchCapture } from './generate.ts';
import { MiB, type Figure } from './figures.ts';
import { repoRoot } from './process-timing.ts';
import { workerHeapUsage, type HeapUsage } from './worker-heap.ts';

export const READ_CHUNKS_MIB = [8, 32];

export interface IngestRun {
  figure: Figure;
  firstProgressMs: number;
  progressEvents: number;
  storeBytes: number;
  bytesPerPacket: number;
  heap: HeapUsage;
}

export interface ChromiumResult {
  version: string;
  /** Read-only figures by chunk size in MiB. */
  readOnly: Map<number, Figure>;
  ingest: IngestRun;
}

/** `warm` puts the file back in the page cache before each timed run (see machine.ts). */
export async function benchChromium(capture: BenchCapture, warm: () => Promise<unknown>): Promise<ChromiumResult> {
  buildApp();
  const server = await serveDist();
  const browser = await launchChromium();
  try {
    const url = `${server.url}bench.html`;
    const reads = new Map<number, Figure[]>(READ_CHUNKS_MIB.map((mib) => [mib, []]));
    const ingests: IngestRun[] = [];
    // Interleaved rounds, so that a slow spell of the machine does not land on one figure.
    for (let round = 0; round < 2; round++) {
      for (const mib of READ_CHUNKS_MIB) {
        await warm();
        reads.get(mib)!.push(await inFreshPage(browser, url, capture.path, (page) => readOnly(page, mib)));
      }
      await warm();
      ingests.push(await inFreshPage(browser, url, capture.path, (page) => ingest(page, capture)));
    }
    const readOnlyBest = new Map([...reads].map(([mib, runs]) => [mib, better(runs)]));
    return { version: browser.version(), readOnly: readOnlyBest, ingest: betterIngest(ingests) };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Always builds: dist/ may be older than src/, and it must hold bench.html. */
export function buildApp(): void {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`vite build failed (exit ${built.status})`);
}

/**
 * A new context per run: a new worker, so each ingest's workspace holds only its own
 * capture (stats and heap are its alone) and no run inherits another's garbage.
 */
async function inFreshPage<T>(browser: Browser, url: string, path: string, run: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.evaluate(() => (window as unknown as BenchApi).benchReady());
    await page.setInputFiles('#file', path);
    return await run(page);
  } finally {
    await context.close();
  }
}

async function readOnly(page: Page, chunkMiB: number): Promise<Figure> {
  const r = await page.evaluate((chunkBytes) => (window as unknown as BenchApi).benchReadOnly(chunkBytes), chunkMiB * MiB);
  return { name: `Chromium read-only, ${chunkMiB} MiB chunks`, wallMs: r.wallMs, bytes: r.bytes, note: '' };
}

async function ingest(page: Page, capture: BenchCapture): Promise<IngestRun> {
  const r = await page.evaluate(() => (window as unknown as BenchApi).benchIngest());
  if (r.error || r.packets !== capture.packets) throw new Error(`Chromium ingest read ${r.packets} packets of ${capture.packets}: ${r.error ?? ''}`);
  const heap = await workerHeapUsage(page);
  const figure = { name: 'Chromium ingest (worker, app build)', wallMs: r.wallMs, bytes: r.bytes, packets: r.packets, note: '' };
  return { figure, firstProgressMs: r.firstProgressMs, progressEvents: r.progressEvents, storeBytes: r.storeBytes, bytesPerPacket: r.bytesPerPacket, heap };
}

const runsNote = (runs: Figure[]): string => `better of 2: ${runs.map((f) => (f.wallMs / 1000).toFixed(2)).join(' / ')} s`;

function better(runs: Figure[]): Figure {
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  return { ...best, note: runsNote(runs) };
}

function betterIngest(runs: IngestRun[]): IngestRun {
  const best = runs.reduce((a, b) => (b.figure.wallMs < a.figure.wallMs ? b : a));
  return { ...best, figure: { ...best.figure, note: runsNote(runs.map((r) => r.figure)) } };
}
