/**
 * Export of the bench capture's packets.
 * In process (benchExport): a million packets (the capture ingested once), planning, then
 * making chunks and writing them to /dev/null, as pcap (runs of the file's own records) and
 * as pcapng (a header and a range per packet).
 * In the tab (benchTabExport): the app build's worker on bench.html, the first million
 * packets and all of them, as pcapng and pcap, timed until the Blob is in the page, and as
 * pcapng written to a file (the origin's private file system, as a picked file would be),
 * with the browser's peak memory (PSS of all its processes, e2e/support/process-memory.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { pcapExport, pcapngExport, type Pick } from '../src/export/capture-export.ts';
import { partChunks } from '../src/export/part-stream.ts';
import { ingest } from '../src/store/capture.ts';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, serveDist } from '../e2e/support/browser.ts';
import { sampleMemory } from '../e2e/support/process-memory.ts';
import type { BenchApi } from '../src/bench/bench-page.ts';
import { buildApp } from './chromium-part.ts';
import type { Figure } from './figures.ts';
import { workerHeapUsage } from './worker-heap.ts';
import type { BenchCapture } from './generate.ts';
import type { Warm } from './node-part.ts';

const EXPORTED = 1_000_000;

export async function benchExport(capture: BenchCapture, warm: Warm): Promise<Figure[]> {
  const source = await nodeFileSource(capture.path);
  const { capture: ingested } = await ingest(source, { forViewer: false });
  // Every 7th packet up to a million: scattered rows, not one run of the file.
  const step = Math.max(1, Math.floor(ingested.store.length / EXPORTED));
  const picks: Pick[] = [];
  for (let row = 0; row < ingested.store.length && picks.length < EXPORTED; row += step) picks.push({ capture: 0, row });
  const figures: Figure[] = [];
  for (const format of ['pcap', 'pcapng'] as const) {
    await warm();
    const started = performance.now();
    const plan = format === 'pcap' ? pcapExport([ingested], picks, 'us') : pcapngExport([ingested], picks);
    // Sizing the output (a pass over the picks) is the plan; making the parts and chunks is the rest.
    const plannedMs = performance.now() - started;
    let bytes = 0;
    let chunks = 0;
    const out = await open('/dev/null', 'w');
    for await (const chunk of partChunks(plan.parts, [source])) {
      await out.write(chunk);
      bytes += chunk.length;
      chunks++;
    }
    await out.close();
    const ms = performance.now() - started;
    figures.push({
      name: `export ${picks.length.toLocaleString('en-US')} packets as ${format} (in process)`,
      wallMs: ms,
      bytes,
      packets: picks.length,
      note: `every ${step}th packet; planned in ${Math.round(plannedMs)} ms, then ${chunks} chunks made from the file and written`,
    });
  }
  await source.close?.();
  return figures;
}

export interface TabExportResult {
  figures: Figure[];
  notes: { name: string; value: string }[];
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** `build`: run vite build first (the Chromium part has done it when it ran). */
export async function benchTabExport(capture: BenchCapture, warm: Warm, build: boolean): Promise<TabExportResult> {
  if (build) buildApp();
  const server = await serveDist();
  // A profile on disk, as a user's: there the private file system, and Blobs past Chromium's
  // memory limit, live in files (a Playwright context keeps both in memory).
  const profile = mkdtempSync(join(tmpdir(), 'pt-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const figures: Figure[] = [];
  const notes: TabExportResult['notes'] = [];
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}bench.html`);
    await page.evaluate(() => (window as unknown as BenchApi).benchReady());
    await page.setInputFiles('#file', capture.path);
    const pageSession = await context.newCDPSession(page);
    await warm();
    const opened = await page.evaluate(() => (window as unknown as BenchApi).benchIngest());
    if (opened.packets !== capture.packets) throw new Error(`Chromium ingest read ${opened.packets} packets of ${capture.packets}: ${opened.error ?? ''}`);
    for (const count of [...new Set([Math.min(EXPORTED, capture.packets), capture.packets])]) {
      for (const [format, toFile] of [
        ['pcapng', false],
        ['pcap', false],
        ['pcapng', true],
      ] as const) {
        await warm();
        // The last run's Blob goes once the page lets go of it: collected first, so no run pays for another.
        await pageSession.send('HeapProfiler.collectGarbage');
        const heapBefore = await workerHeapUsage(page);
        const memory = sampleMemory();
        const r = await exportInPage(page, format, count, toFile);
        const { start, peak } = memory.stop();
        if (r.packets !== count) throw new Error(`the tab exported ${r.packets} packets of ${count}`);
        const name = `Chromium export ${count.toLocaleString('en-US')} packets as ${format}${toFile ? ' to a file' : ''} (worker, app build)`;
        const rise = `browser PSS ${mib(start.total)} before, peak ${mib(peak.total)} (+${mib(peak.total - start.total)}; browser process +${mib(peak.browser - start.browser)}, renderers +${mib(peak.renderer - start.renderer)})`;
        figures.push({
          name,
          wallMs: r.wallMs,
          bytes: r.bytes,
          packets: r.packets,
          note: `${count === capture.packets ? 'all' : 'the first'} ${count.toLocaleString('en-US')} packets, until ${toFile ? 'written to a file (OPFS, as to a picked one)' : 'the Blob is in the page'}; ${r.progressEvents} progress events`,
        });
        notes.push({
          name: `${name}: memory`,
          value: `${rise}; worker heap before JS ${mib(heapBefore.usedSize)} + ArrayBuffers ${mib(heapBefore.backingStorageSize)} (sampled every 100 ms from /proc/PID/smaps_rollup)`,
        });
      }
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { figures, notes };
}

function exportInPage(page: Page, format: 'pcapng' | 'pcap', count: number, toFile: boolean) {
  return page.evaluate(([f, n, file]) => (window as unknown as BenchApi).benchExport(f, 0, n, file), [format, count, toFile] as const);
}
