/**
 * Times whole processes, as a user would see them: wall time from spawn to exit, and the
 * peak RSS that GNU time reports when /usr/bin/time is installed (Debian package `time`).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);
/** GNU time appends this line to the child's stderr; parsed back out below. */
const RSS_MARK = 'bench-max-rss-kb=';

export interface ProcessRun {
  wallMs: number;
  stdout: string;
  maxRssKb?: number;
}

/** Runs a command to completion. Without keepStdout its output goes to /dev/null, as `> /dev/null`. */
export function timeProcess(cmd: string, args: string[], keepStdout = false): Promise<ProcessRun> {
  const [bin, argv] = hasGnuTime ? [GNU_TIME, ['-f', `${RSS_MARK}%M`, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(bin, argv, { cwd: repoRoot, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.slice(-800)}`));
      const rss = /bench-max-rss-kb=(\d+)/.exec(stderr);
      resolve({ wallMs, stdout, maxRssKb: rss ? Number(rss[1]) : undefined });
    });
  });
}

/**
 * Runs n times one after another, each after `before` (untimed); returns the median run by
 * wall time, all the times, and the highest peak RSS.
 */
export async function medianRun(
  n: number,
  before: () => Promise<unknown>,
  run: () => Promise<ProcessRun>,
): Promise<{ median: ProcessRun; runsMs: number[]; maxRssKb?: number }> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < n; i++) {
    await before();
    runs.push(await run());
  }
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const rss = runs.map((r) => r.maxRssKb).filter((k): k is number => k !== undefined);
  return { median: sorted[(n - 1) >> 1], runsMs: runs.map((r) => r.wallMs), maxRssKb: rss.length ? Math.max(...rss) : undefined };
}

/** The absolute path of an executable on PATH, or null when it is not installed. */
export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}
