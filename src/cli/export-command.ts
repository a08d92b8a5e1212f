/**
 * `export FILE... [--filter EXPR] [--from TIME] [--to TIME] [--marks FILE.json]
 *  [--format pcap|pcapng] -o OUT`: the chosen packets of one or several captures, merged
 * in time order (as mergecap), written from ranges of the input files (of a gzip input's
 * decompressed copy).
 */
import { readFile } from 'node:fs/promises';
import { before, type Instant } from '../analysis/findings/finding.ts';
import type { ReadBudgets } from '../capture/read-budget.ts';
import { pcapngParts, pcapParts, type Part, type Pick } from '../export/capture-export.ts';
import { partChunks } from '../export/part-stream.ts';
import { compileFilter } from '../filter/compile.ts';
import { checkLinkTypes } from '../filter/link-support.ts';
import { matchingRows } from '../filter/match.ts';
import type { Capture } from '../store/capture.ts';
import { InputError, inPathTerms } from './input-error.ts';
import { parseMarksFile, type MarksFile } from './marks-file.ts';
import { openCapture, type OpenedCapture } from './open-capture.ts';
import { refuseInputAsOutput, writeAtomically } from './output-file.ts';
import { parseTime } from './time-arg.ts';

export interface ExportArgs {
  files: string[];
  filter?: string;
  from?: string;
  to?: string;
  marks?: string;
  format?: 'pcap' | 'pcapng';
  out: string;
  budgets?: ReadBudgets;
}

export async function runExport(a: ExportArgs): Promise<{ packets: number; bytes: number }> {
  await refuseInputAsOutput(a.out, a.marks ? [...a.files, a.marks] : a.files);
  const filter = a.filter ? compileFilter(a.filter) : null;
  const from = a.from ? parseTime(a.from) : null;
  const to = a.to ? parseTime(a.to) : null;
  const marks = a.marks ? parseMarksFile(await readFile(a.marks, 'utf8').catch((error) => Promise.reject(inPathTerms(error, a.marks!))), a.marks) : null;
  const opened: OpenedCapture[] = [];
  const picks: Pick[] = [];
  try {
    for (const [c, path] of a.files.entries()) {
      const o = await openCapture(path, a.budgets);
      opened.push(o);
      const { capture, source } = o;
      if (filter) checkLinkTypes(filter, capture.interfaces.map((i) => i.linkType), path);
      const chosen = filter ? await matchingRows(capture, source, filter) : null;
      const notes = marks ? markedRows(capture, path, marks) : null;
      const { store } = capture;
      const count = chosen ? chosen.length : store.length;
      for (let k = 0; k < count; k++) {
        const row = chosen ? chosen[k] : k;
        if (from || to) {
          const t = { sec: store.sec(row), ns: store.tsNs[row] };
          if ((from && before(t, from)) || (to && before(to, t))) continue;
        }
        if (notes && !notes.has(row)) continue;
        const comment = notes?.get(row);
        picks.push(comment ? { capture: c, row, comment } : { capture: c, row });
      }
    }
    const captures = opened.map((o) => o.capture);
    // mergecap's order: by time, the earlier file first on a tie, then file order (one capture
    // already in time order needs no sort).
    if (captures.length > 1 || captures.some((c) => c.store.order)) picks.sort((x, y) => {
      const sx = captures[x.capture].store;
      const sy = captures[y.capture].store;
      return sx.sec(x.row) - sy.sec(y.row) || sx.tsNs[x.row] - sy.tsNs[y.row] || x.capture - y.capture || x.row - y.row;
    });
    const parts = exportParts(captures, picks, a.format);
    const bytes = await writeAtomically(a.out, partChunks(parts, opened.map((o) => o.source)));
    return { packets: picks.length, bytes };
  } finally {
    for (const o of opened) await o.close();
  }
}

function exportParts(captures: Capture[], picks: Pick[], asked: ExportArgs['format']): Iterable<Part> {
  const format = asked ?? (captures.every((c) => c.interfaces.every((i) => i.pcapLittleEndian !== undefined)) ? 'pcap' : 'pcapng');
  const precision = captures.some((c) => c.interfaces.some((i) => i.resolution !== 'us' && i.resolution !== '10^-6')) ? 'ns' : 'us';
  try {
    return format === 'pcap' ? pcapParts(captures, picks, precision) : pcapngParts(captures, picks);
  } catch (error) {
    // The exporters refuse what a format cannot hold (several link types in one pcap) with a plain Error.
    if (error instanceof Error && error.constructor === Error) throw new InputError(`export: ${error.message}`);
    throw error;
  }
}

/** Rows the marks file names for this capture, with their notes ('' when none). */
function markedRows(capture: Capture, path: string, marks: MarksFile): Map<number, string> {
  const out = new Map<number, string>();
  const name = path.split('/').pop();
  for (const m of marks.marks) {
    if (m.file && m.file !== name && m.file !== path) continue;
    if (m.frame <= capture.store.length) out.set(m.frame - 1, m.note);
  }
  const { store } = capture;
  for (const r of marks.ranges) {
    for (let row = 0; row < store.length; row++) {
      const t: Instant = { sec: store.sec(row), ns: store.tsNs[row] };
      if (!before(t, r.from) && !before(r.to, t) && !out.get(row)) out.set(row, r.note);
    }
  }
  return out;
}
