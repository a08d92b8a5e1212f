/**
 * The Node side: our CLI as a whole process (startup, tsx and all) against tcpdump and
 * tshark reading the same file from the page cache.
 */
import type { BenchCapture } from './generate.ts';
import type { Figure } from './figures.ts';
import { findOnPath, medianRun, timeProcess } from './process-timing.ts';

/** The reference filter: tcpdump must parse every frame to evaluate it. */
export const TCPDUMP_FILTER = 'not (vlan and ip and port 9090)';

export interface CliResult {
  figure: Figure;
  storeBytes: number;
  bytesPerPacket: number;
  /** The CLI's own ingest time (in process, without startup). */
  ingestMs: number;
  maxRssKb?: number;
}

/** `warm` puts the file back in the page cache before each timed run (see machine.ts). */
export type Warm = () => Promise<unknown>;

export async function benchCli(capture: BenchCapture, warm: Warm): Promise<CliResult> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'stats', capture.path, '--json'];
  const { median, runsMs, maxRssKb } = await medianRun(3, warm, () => timeProcess(process.execPath, args, true));
  const stats = JSON.parse(median.stdout) as { packets: number; storeBytes: number; bytesPerPacket: number; ingestMs: number };
  if (stats.packets !== capture.packets) throw new Error(`CLI counted ${stats.packets} packets, the file has ${capture.packets}`);
  const figure = {
    name: 'CLI stats --json (whole process)',
    wallMs: median.wallMs,
    bytes: capture.bytes,
    packets: stats.packets,
    note: `median of 3: ${runsText(runsMs)}`,
  };
  return { figure, storeBytes: stats.storeBytes, bytesPerPacket: stats.bytesPerPacket, ingestMs: stats.ingestMs, maxRssKb };
}

/** tcpdump with and without the filter; null when tcpdump is not installed. */
export async function benchTcpdump(capture: BenchCapture, warm: Warm): Promise<{ filtered: Figure; plain: Figure } | null> {
  const tcpdump = findOnPath('tcpdump');
  if (!tcpdump) return null;
  const run = async (name: string, extra: string[]): Promise<Figure> => {
    const { median, runsMs } = await medianRun(3, warm, () => timeProcess(tcpdump, ['-nr', capture.path, '-w', '/dev/null', ...extra]));
    return { name, wallMs: median.wallMs, bytes: capture.bytes, packets: capture.packets, note: `median of 3: ${runsText(runsMs)}` };
  };
  return { filtered: await run(`tcpdump -w /dev/null '${TCPDUMP_FILTER}'`, [TCPDUMP_FILTER]), plain: await run('tcpdump -w /dev/null (no filter)', []) };
}

/** tshark once: it dissects every frame fully and is far slower, so one run says enough. */
export async function benchTshark(capture: BenchCapture, warm: Warm): Promise<Figure | string> {
  if (process.env.BENCH_SKIP_TSHARK === '1') return 'skipped (BENCH_SKIP_TSHARK=1)';
  const tshark = findOnPath('tshark');
  if (!tshark) return 'skipped (tshark not installed)';
  await warm();
  const run = await timeProcess(tshark, ['-r', capture.path, '-T', 'fields', '-e', 'frame.time_epoch']);
  const rss = run.maxRssKb === undefined ? '' : `, peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MiB`;
  return { name: 'tshark -T fields -e frame.time_epoch', wallMs: run.wallMs, bytes: capture.bytes, packets: capture.packets, note: `1 run (slow)${rss}` };
}

const runsText = (runsMs: number[]): string => `${runsMs.map((t) => (t / 1000).toFixed(2)).join(' / ')} s`;
