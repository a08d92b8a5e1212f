/** The bench's plain-text table and its JSON twin (.bench-cache/last-bench.json). */
import { mbPerSec, packetsPerSec, type Check, type Figure, type ViewerFigure } from './figures.ts';
import { machineLine, type Machine } from './machine.ts';

export interface Report {
  date: string;
  machine: Machine;
  capture: { path: string; packets: number; bytes: number };
  pageCache: { wallMs: number; mbPerSec: number };
  figures: (Figure & { mbPerSec?: number; packetsPerSec?: number })[];
  checks: Check[];
  /** Memory and other single numbers, each labelled with how it was measured. */
  notes: { name: string; value: string }[];
  /** The app's page in Chromium (bench/viewer-part.ts); absent when that part did not run. */
  viewer?: ViewerSection;
}

export interface ViewerSection {
  date: string;
  packets: number;
  chromium: string;
  /** os.loadavg() (1, 5, 15 min) when the part started and when it ended. */
  load: { before: number[]; after: number[] };
  figures: ViewerFigure[];
  notes: { name: string; value: string }[];
}

export function makeReport(
  machine: Machine,
  capture: Report['capture'],
  warm: { wallMs: number; bytes: number },
  figures: Figure[],
  checks: Check[],
  notes: Report['notes'],
): Report {
  const withRates = figures.map((f) => ({ ...f, mbPerSec: mbPerSec(f), packetsPerSec: packetsPerSec(f) }));
  const pageCache = { wallMs: warm.wallMs, mbPerSec: warm.bytes / 1e6 / (warm.wallMs / 1000) };
  return { date: new Date().toISOString(), machine, capture, pageCache, figures: withRates, checks, notes };
}

export function formatReport(r: Report): string {
  const head = [
    `Packet Timeline bench: ${r.capture.packets.toLocaleString('en-US')} packets, ${(r.capture.bytes / 1e6).toFixed(0)} MB (MB = 10^6 bytes), ${r.capture.path}`,
    machineLine(r.machine),
    `page cache: the file was read once before any timing (${(r.pageCache.wallMs / 1000).toFixed(2)} s, ${r.pageCache.mbPerSec.toFixed(0)} MB/s) and again, untimed, before every timed run; every figure below reads it from memory`,
  ];
  const figures = table(
    ['figure', 'wall', 'MB/s', 'packets/s', 'how'],
    r.figures.map((f) => [f.name, seconds(f.wallMs), num(f.mbPerSec), num(f.packetsPerSec), f.note]),
  );
  const checks = table(
    ['check', 'measured', 'target', 'result'],
    r.checks.map((c) => [c.name, `${round(c.value)}${c.unit ? ` ${c.unit}` : ''}`, c.target, c.pass ? 'ok' : 'MISSED']),
  );
  const notes = table(
    ['other figures', 'value and how measured'],
    r.notes.map((n) => [n.name, n.value]),
  );
  // A run of one part alone (BENCH_ONLY) leaves the other tables empty: not printed.
  const sections = [r.figures.length ? figures : '', r.checks.length ? checks : '', r.notes.length ? notes : '', r.viewer ? formatViewer(r.viewer) : ''];
  return `${[...head, ...sections.filter(Boolean).flatMap((s) => ['', s])].join('\n')}\n`;
}

function formatViewer(v: ViewerSection): string {
  const loads = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
  const head = [
    'Viewer (Chromium, the app build)',
    `dist/index.html, ${v.packets.toLocaleString('en-US')} packets opened through the file input; chromium ${v.chromium}; load average (1 / 5 / 15 min) ${loads(v.load.before)} before, ${loads(v.load.after)} after`,
  ];
  const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(1)} ms`);
  const rows = v.figures.map((f) => {
    const one = f.value.n === 1;
    return [
      f.name,
      String(f.value.n),
      ms(f.value.median),
      one ? '-' : ms(f.value.p95),
      one ? '-' : ms(f.value.max),
      f.target ?? '-',
      f.pass === undefined ? '-' : f.pass ? 'ok' : 'MISSED',
      f.how,
    ];
  });
  const figures = table(['viewer figure', 'n', 'median', 'p95', 'max', 'target', 'result', 'how'], rows);
  const notes = table(
    ['viewer notes', 'value and how measured'],
    v.notes.map((n) => [n.name, n.value]),
  );
  return [...head, '', figures, '', notes].join('\n');
}

/** Left-aligned text columns, right-aligned numbers. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const numeric = header.map((_, i) => rows.every((row) => /^[-\d.,]*( s| ms)?$/.test(row[i])));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const num = (n: number | undefined): string => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const round = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
