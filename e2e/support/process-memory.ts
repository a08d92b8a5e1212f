/**
 * The browser's memory as the machine sees it: the proportional set size (PSS, from
 * /proc/PID/smaps_rollup) summed over every process descended from this one, which is
 * every Chromium process the test launched (browser, renderers, GPU, utility). PSS counts
 * a shared page once across the processes that share it, so the sum is the browser's
 * share of RAM. Headless Chromium gives no worker heap figure
 * (performance.measureUserAgentSpecificMemory needs cross-origin isolation and a visible
 * page); the CDP heap figures cover one isolate and leave out Blob data, which lives in the
 * browser process: hence /proc. Linux only.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** PSS in bytes, by kind of process: 'browser' (the main one, which keeps Blob data), 'renderer' (pages and their workers), 'other'. */
export interface BrowserMemory {
  total: number;
  browser: number;
  renderer: number;
  other: number;
}

/** PSS summed over the processes below `rootPid` (not itself), by kind. */
export function descendantsPss(rootPid = process.pid): BrowserMemory {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: BrowserMemory = { total: 0, browser: 0, renderer: 0, other: 0 };
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    const bytes = pssBytes(pid);
    out.total += bytes;
    out[kindOf(pid)] += bytes;
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Samples descendantsPss every `intervalMs` until stopped: the first sample and the peak of each figure. */
export function sampleMemory(intervalMs = 100): { stop: () => { start: BrowserMemory; peak: BrowserMemory } } {
  const start = descendantsPss();
  const peak = { ...start };
  const sample = () => {
    const now = descendantsPss();
    for (const k of Object.keys(peak) as (keyof BrowserMemory)[]) peak[k] = Math.max(peak[k], now[k]);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { start, peak };
    },
  };
}

function kindOf(pid: number): 'browser' | 'renderer' | 'other' {
  try {
    // Chromium rewrites its child processes' titles: the arguments then come as one string, joined by spaces.
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    if (!/chrom/i.test(command.split(' ')[0])) return 'other';
    const type = /--type=(\S+)/.exec(command)?.[1];
    return !type ? 'browser' : type === 'renderer' ? 'renderer' : 'other';
  } catch {
    return 'other';
  }
}

function parentOf(pid: number): number | null {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: fields after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null; // gone meanwhile
  }
}

function pssBytes(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
