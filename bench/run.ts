/**
 * `npm run bench`: generates (or reuses) the bench capture, then times the real code
 * paths on it: the CLI as a whole process against tcpdump and tshark, the app's
 * production build in Chromium (read-only floor, ingest, first progress, worker heap),
 * and the viewer on the app's page (first timeline paint, frames while zooming and
 * panning, list scroll).
 *   BENCH_PACKETS=N       a smaller capture (default 10,000,000, about 1.5 GB)
 *   BENCH_SKIP_TSHARK=1   leave out tshark, which takes minutes on the full file
 *   BENCH_ONLY=viewer     only the viewer part (builds the app itself); its section goes into
 *                         last-bench.json if that file is for the same capture (the other
 *                         figures stay), else into last-bench-viewer.json
 *   BENCH_ONLY=filter     only filters, conversations, findings and export (printed, not saved)
 *   BENCH_ONLY=export     only export, in process and in the tab (builds the app; printed, not saved)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchChromium, type ChromiumResult } from './chromium-part.ts';
import { atMost, type Check, type Figure } from './figures.ts';
import { ensureBenchCapture, type BenchCapture } from './generate.ts';
import { describeMachine, warmPageCache } from './machine.ts';
import { benchExport, benchTabExport } from './export-part.ts';
import { benchFilters } from './filter-part.ts';
import { benchCli, benchTcpdump, benchTshark, type CliResult } from './node-part.ts';
import { hasGnuTime, repoRoot } from './process-timing.ts';
import { formatReport, makeReport, type Report } from './report.ts';
import { benchViewer, viewerSection } from './viewer-part.ts';

const say = (text: string) => process.stderr.write(`bench: ${text}\n`);

function packetsFromEnv(): number {
  const raw = process.env.BENCH_PACKETS?.replaceAll('_', '') ?? '10000000';
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`BENCH_PACKETS must be a positive integer, got ${raw}`);
  return n;
}

function onlyFromEnv(): 'viewer' | 'filter' | 'export' | null {
  const only = process.env.BENCH_ONLY;
  if (!only) return null;
  if (only !== 'viewer' && only !== 'filter' && only !== 'export') throw new Error(`BENCH_ONLY can be viewer, filter or export, got ${only}`);
  return only;
}

async function main(): Promise<void> {
  const only = onlyFromEnv();
  // Other work on the machine skews every figure: record how busy it was.
  const loadBefore = loadavg()[0];
  const capture = await ensureBenchCapture({ packets: packetsFromEnv() });
  say(`capture ${capture.path}; reading it into the page cache (again before every timed run)`);
  const warm = await warmPageCache(capture.path);
  const rewarm = () => warmPageCache(capture.path);
  if (only === 'viewer') return viewerOnly(capture, warm, rewarm, loadBefore);
  if (only === 'export') {
    say('export only (BENCH_ONLY=export): in process, then vite build and the tab');
    const exported = await benchExport(capture, rewarm);
    const tab = await benchTabExport(capture, rewarm, true);
    const machine = { ...describeMachine(), chromium: '-', load1: [loadBefore, loadavg()[0]] as [number, number] };
    process.stdout.write(
      formatReport(
        makeReport(machine, { path: capture.path, packets: capture.packets, bytes: capture.bytes }, warm, [...exported, ...tab.figures], [], tab.notes),
      ),
    );
    return;
  }
  if (only === 'filter') {
    say('filters and conversations only (BENCH_ONLY=filter)');
    const filters = await benchFilters(capture, rewarm);
    const exported = await benchExport(capture, rewarm);
    const machine = { ...describeMachine(), chromium: '-', load1: [loadBefore, loadavg()[0]] as [number, number] };
    process.stdout.write(
      formatReport(
        makeReport(
          machine,
          { path: capture.path, packets: capture.packets, bytes: capture.bytes },
          warm,
          [...filters.figures, ...exported],
          filters.checks,
          [],
        ),
      ),
    );
    return;
  }
  say('CLI, 3 runs');
  const cli = await benchCli(capture, rewarm);
  say('tcpdump, 3 runs each with and without the filter');
  const tcpdump = await benchTcpdump(capture, rewarm);
  say('filters: ours in process against tcpdump -w /dev/null on the same file');
  const filters = await benchFilters(capture, rewarm);
  say('export: a million packets as pcap and pcapng');
  const exported = await benchExport(capture, rewarm);
  if (process.env.BENCH_SKIP_TSHARK !== '1') say('tshark, 1 run (slow; BENCH_SKIP_TSHARK=1 leaves it out)');
  const tshark = await benchTshark(capture, rewarm);
  say('Chromium: vite build, then read-only at 8 and 32 MiB chunks and ingest, 2 rounds');
  const chromium = await benchChromium(capture, rewarm);
  say('Viewer: the app page; open, zoom and pan, list scroll');
  const viewer = await benchViewer(capture, rewarm, false);
  say('Chromium export: the first million packets and all, as pcapng and pcap');
  const tabExport = await benchTabExport(capture, rewarm, false);
  const machine = { ...describeMachine(), chromium: chromium.version, load1: [loadBefore, loadavg()[0]] as [number, number] };
  const figures = [...collectFigures(capture, cli, tcpdump, tshark, chromium), ...filters.figures, ...exported, ...tabExport.figures];
  const checks = [...collectChecks(cli, tcpdump?.filtered, chromium), ...filters.checks];
  const report = makeReport(machine, { path: capture.path, packets: capture.packets, bytes: capture.bytes }, warm, figures, checks, [
    ...collectNotes(cli, tshark, chromium),
    ...tabExport.notes,
  ]);
  report.viewer = viewerSection(viewer, chromium.ingest.figure.wallMs);
  process.stdout.write(formatReport(report));
  saveJson(report);
}

async function viewerOnly(capture: BenchCapture, warm: { wallMs: number; bytes: number }, rewarm: () => Promise<unknown>, loadBefore: number): Promise<void> {
  say('Viewer only (BENCH_ONLY=viewer): vite build, then the app page; open, zoom and pan, list scroll');
  const viewer = await benchViewer(capture, rewarm, true);
  const machine = { ...describeMachine(), chromium: viewer.version, load1: [loadBefore, loadavg()[0]] as [number, number] };
  const report = makeReport(machine, { path: capture.path, packets: capture.packets, bytes: capture.bytes }, warm, [], [], []);
  report.viewer = viewerSection(viewer);
  process.stdout.write(formatReport(report));
  // The other parts' figures in last-bench.json stay: the viewer's section replaces its own
  // there when that file is for the same capture, else it goes to a file of its own.
  const last = lastReport();
  if (!last) saveJson(report);
  else if (last.capture.path === capture.path && last.capture.bytes === capture.bytes) saveJson({ ...last, viewer: report.viewer });
  else saveJson(report, 'last-bench-viewer.json');
}

function lastReport(): Report | null {
  const path = join(repoRoot, '.bench-cache', 'last-bench.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Report;
  } catch {
    return null;
  }
}

function collectFigures(
  capture: BenchCapture,
  cli: CliResult,
  tcpdump: { filtered: Figure; plain: Figure } | null,
  tshark: Figure | string,
  chromium: ChromiumResult,
): Figure[] {
  const figures: Figure[] = [cli.figure];
  figures.push({
    name: 'CLI ingest only (in process, its --json ingestMs)',
    wallMs: cli.ingestMs,
    bytes: capture.bytes,
    packets: capture.packets,
    note: 'the median run; no startup or tsx',
  });
  if (tcpdump) figures.push(tcpdump.filtered, tcpdump.plain);
  if (typeof tshark !== 'string') figures.push(tshark);
  figures.push(...chromium.readOnly.values(), chromium.ingest.figure);
  return figures;
}

function collectChecks(cli: CliResult, tcpdumpFiltered: Figure | undefined, chromium: ChromiumResult): Check[] {
  const { ingest } = chromium;
  const floor = chromium.readOnly.get(8)!;
  const checks: Check[] = [];
  if (tcpdumpFiltered) checks.push(atMost('CLI wall / tcpdump-with-filter wall', cli.figure.wallMs / tcpdumpFiltered.wallMs, 1.0));
  checks.push(atMost('CLI store bytes per packet', cli.bytesPerPacket, 48));
  checks.push(atMost('Chromium store bytes per packet', ingest.bytesPerPacket, 48));
  checks.push(atMost('Chromium ingest / read-only (8 MiB chunks, as ingest)', ingest.figure.wallMs / floor.wallMs, 1.25));
  // If a chunk size reads faster, the true floor is lower than the one ingest uses.
  const fastest = [...chromium.readOnly.values()].reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  if (fastest !== floor)
    checks.push(atMost(`Chromium ingest / fastest read-only (${fastest.name.match(/\d+ MiB/)![0]} chunks)`, ingest.figure.wallMs / fastest.wallMs, 1.25));
  checks.push(atMost('Chromium first progress after open()', ingest.firstProgressMs, 200, 'ms'));
  return checks;
}

function collectNotes(cli: CliResult, tshark: Figure | string, chromium: ChromiumResult): Report['notes'] {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const { ingest } = chromium;
  return [
    {
      name: 'CLI peak RSS',
      value:
        cli.maxRssKb === undefined
          ? 'not measured (/usr/bin/time absent: apt package `time`)'
          : `${mib(cli.maxRssKb * 1024)} (GNU time %M, highest of the 3 runs)`,
    },
    { name: 'CLI store', value: `${mib(cli.storeBytes)} (${cli.bytesPerPacket} bytes per packet)` },
    { name: 'Chromium store', value: `${mib(ingest.storeBytes)} (${ingest.bytesPerPacket} bytes per packet, engine.stats())` },
    {
      name: 'Chromium worker heap after ingest',
      value: `JS ${mib(ingest.heap.usedSize)} + ArrayBuffers ${mib(ingest.heap.backingStorageSize)} (CDP Runtime.getHeapUsage on the worker target, after a GC)`,
    },
    { name: 'Chromium progress events', value: `${ingest.progressEvents} (first after ${ingest.firstProgressMs.toFixed(0)} ms)` },
    ...(typeof tshark === 'string' ? [{ name: 'tshark', value: tshark }] : []),
    ...(hasGnuTime ? [] : [{ name: 'peak RSS', value: 'skipped: /usr/bin/time is not installed' }]),
  ];
}

function saveJson(report: Report, name = 'last-bench.json'): void {
  const dir = join(repoRoot, '.bench-cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${JSON.stringify(report, null, 2)}\n`);
  say(`written to ${join(dir, name)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
