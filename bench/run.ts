/**
 * `npm run bench`: generates (or reuses) the bench capture, then times the real code
 * paths on it: the CLI as a whole process against tcpdump and tshark, and the app's
 * production build in Chromium (read-only floor, ingest, first progress, worker heap).
 *   BENCH_PACKETS=N       a smaller capture (default 10,000,000, about 1.5 GB)
 *   BENCH_SKIP_TSHARK=1   leave out tshark, which takes minutes on the full file
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchChromium, type ChromiumResult } from './chromium-part.ts';
import { atMost, type Check, type Figure } from './figures.ts';
import { ensureBenchCapture, type BenchCapture } from './generate.ts';
import { describeMachine, warmPageCache } from './machine.ts';
import { benchCli, benchTcpdump, benchTshark, type CliResult } from './node-part.ts';
import { hasGnuTime, repoRoot } from './process-timing.ts';
import { formatReport, makeReport, type Report } from './report.ts';

const say = (text: string) => process.stderr.write(`bench: ${text}\n`);

function packetsFromEnv(): number {
  const raw = process.env.BENCH_PACKETS?.replaceAll('_', '') ?? '10000000';
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`BENCH_PACKETS must be a positive integer, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  // Other work on the machine skews every figure: record how busy it was.
  const loadBefore = loadavg()[0];
  const capture = await ensureBenchCapture({ packets: packetsFromEnv() });
  say(`capture ${capture.path}; reading it into the page cache (again before every timed run)`);
  const warm = await warmPageCache(capture.path);
  const rewarm = () => warmPageCache(capture.path);
  say('CLI, 3 runs');
  const cli = await benchCli(capture, rewarm);
  say('tcpdump, 3 runs each with and without the filter');
  const tcpdump = await benchTcpdump(capture, rewarm);
  if (process.env.BENCH_SKIP_TSHARK !== '1') say('tshark, 1 run (slow; BENCH_SKIP_TSHARK=1 leaves it out)');
  const tshark = await benchTshark(capture, rewarm);
  say('Chromium: vite build, then read-only at 8 and 32 MiB chunks and ingest, 2 rounds');
  const chromium = await benchChromium(capture, rewarm);
  const machine = { ...describeMachine(), chromium: chromium.version, load1: [loadBefore, loadavg()[0]] as [number, number] };
  const figures = collectFigures(capture, cli, tcpdump, tshark, chromium);
  const report = makeReport(machine, { path: capture.path, packets: capture.packets, bytes: capture.bytes }, warm, figures, collectChecks(cli, tcpdump?.filtered, chromium), collectNotes(cli, tshark, chromium));
  process.stdout.write(formatReport(report));
  saveJson(report);
}

function collectFigures(capture: BenchCapture, cli: CliResult, tcpdump: { filtered: Figure; plain: Figure } | null, tshark: Figure | string, chromium: ChromiumResult): Figure[] {
  const figures: Figure[] = [cli.figure];
  figures.push({ name: 'CLI ingest only (in process, its --json ingestMs)', wallMs: cli.ingestMs, bytes: capture.bytes, packets: capture.packets, note: 'the median run; no startup or tsx' });
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
  if (fastest !== floor) checks.push(atMost(`Chromium ingest / fastest read-only (${fastest.name.match(/\d+ MiB/)![0]} chunks)`, ingest.figure.wallMs / fastest.wallMs, 1.25));
  checks.push(atMost('Chromium first progress after open()', ingest.firstProgressMs, 200, 'ms'));
  return checks;
}

function collectNotes(cli: CliResult, tshark: Figure | string, chromium: ChromiumResult): Report['notes'] {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const { ingest } = chromium;
  return [
    { name: 'CLI peak RSS', value: cli.maxRssKb === undefined ? 'not measured (/usr/bin/time absent: apt package `time`)' : `${mib(cli.maxRssKb * 1024)} (GNU time %M, highest of the 3 runs)` },
    { name: 'CLI store', value: `${mib(cli.storeBytes)} (${cli.bytesPerPacket} bytes per packet)` },
    { name: 'Chromium store', value: `${mib(ingest.storeBytes)} (${ingest.bytesPerPacket} bytes per packet, engine.stats())` },
    { name: 'Chromium worker heap after ingest', value: `JS ${mib(ingest.heap.usedSize)} + ArrayBuffers ${mib(ingest.heap.backingStorageSize)} (CDP Runtime.getHeapUsage on the worker target, after a GC)` },
    { name: 'Chromium progress events', value: `${ingest.progressEvents} (first after ${ingest.firstProgressMs.toFixed(0)} ms)` },
    ...(typeof tshark === 'string' ? [{ name: 'tshark', value: tshark }] : []),
    ...(hasGnuTime ? [] : [{ name: 'peak RSS', value: 'skipped: /usr/bin/time is not installed' }]),
  ];
}

function saveJson(report: Report): void {
  const dir = join(repoRoot, '.bench-cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'last-bench.json'), JSON.stringify(report, null, 2) + '\n');
  say(`written to ${join(dir, 'last-bench.json')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
