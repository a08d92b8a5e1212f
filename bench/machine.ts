/** What the figures were measured on, and putting the capture in the page cache first. */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  ramGB: number;
  node: string;
  chromium?: string;
  /** The 1-minute load average before and after the bench. */
  load1?: [number, number];
}

export function describeMachine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: os.cpus() named it already.
  }
  return { cpu, cores: cpus().length, ramGB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

export function machineLine(m: Machine): string {
  const load = m.load1 ? `; 1-min load average ${m.load1[0].toFixed(2)} before, ${m.load1[1].toFixed(2)} after` : '';
  return `machine: ${m.cpu}, ${m.cores} cores, ${m.ramGB} GiB RAM, node ${m.node}, chromium ${m.chromium ?? 'not run'}${load}`;
}

/**
 * Reads the whole file so that the next tool starts from the page cache: otherwise whichever
 * runs first pays for the disk and the comparison is unfair. Done once up front and again
 * before every timed run, because idle page-cache pages do not stay: this VM's kernel runs
 * DAMON pageout, which evicts what was not touched for about a minute.
 */
export async function warmPageCache(path: string): Promise<{ wallMs: number; bytes: number }> {
  const started = performance.now();
  const handle = await open(path, 'r');
  const buffer = new Uint8Array(16 * 1024 * 1024);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { wallMs: performance.now() - started, bytes };
}
