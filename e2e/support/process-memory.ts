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

/** PSS in bytes summed over the processes below `rootPid` (not itself). */
export function descendantsPssBytes(rootPid = process.pid): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  let total = 0;
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    total += pssBytes(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples descendantsPssBytes every `intervalMs` until stopped; the peak and the first sample. */
export function sampleMemory(intervalMs = 100): { stop: () => { peakBytes: number; startBytes: number } } {
  const startBytes = descendantsPssBytes();
  let peakBytes = startBytes;
  const timer = setInterval(() => (peakBytes = Math.max(peakBytes, descendantsPssBytes())), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      peakBytes = Math.max(peakBytes, descendantsPssBytes());
      return { peakBytes, startBytes };
    },
  };
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
