/**
 * `export FILE... [--filter EXPR] [--from TIME] [--to TIME] [--marks FILE.json]
 *  [--format pcap|pcapng] -o OUT`: the chosen packets of one or several captures, merged
 * in time order (as mergecap), written from ranges of the input files (of a gzip input's
 * decompressed copy).
 */
import { readFile } from 'node:fs/promises';
import { before, type Instant } from '../analysis/findings/finding.ts';
import type { ReadBudgets } from '../capture/read-budget.ts';
import type { ExportPlan, Pick } from '../export/capture-export.ts';
import { partChunks } from '../export/part-stream.ts';
import { compileFilter } from '../filter/compile.ts';
import { checkLinkTypes } from '../filter/link-support.ts';
import { matchingRows } from '../filter/match.ts';
import { ChosenPackets } from '../session/chosen-packets.ts';
import { planExport } from '../session/export-job.ts';
import { Placement } from '../session/placement.ts';
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
  const rows: (Uint32Array | null)[] = [];
  try {
    for (const path of a.files) {
      const o = await openCapture(path, a.budgets);
      opened.push(o);
      if (filter)
        checkLinkTypes(
          filter,
          o.capture.interfaces.map((i) => i.linkType),
          path,
        );
      rows.push(filter ? await matchingRows(o.capture, o.source, filter) : null);
    }
    // Chosen in the tab's merged order: by exact time as mergecap, the earlier file first on a tie, then file order.
    const list = opened.map((o, id) => ({ id, capture: o.capture, finished: true }));
    const chosen = new ChosenPackets(new Placement(() => list));
    for (const [c, { capture, path }] of opened.entries()) {
      const matching = rows[c];
      const notes = marks ? markedRows(capture, path, marks) : null;
      const { store } = capture;
      const count = matching ? matching.length : store.length;
      for (let k = 0; k < count; k++) {
        const row = matching ? matching[k] : k;
        if (from || to) {
          const t = { sec: store.sec(row), ns: store.tsNs[row] };
          if ((from && before(t, from)) || (to && before(to, t))) continue;
        }
        if (notes && !notes.has(row)) continue;
        chosen.add(c, row, notes?.get(row));
      }
    }
    const plan = exportPlan(
      opened.map((o) => o.capture),
      chosen.picks(),
      a.format,
    );
    const bytes = await writeAtomically(
      a.out,
      partChunks(
        plan.parts,
        opened.map((o) => o.source),
      ),
    );
    return { packets: chosen.count, bytes };
  } finally {
    for (const o of opened) await o.close();
  }
}

/** pcap when every input was a pcap, unless asked otherwise; what a format cannot hold is an input problem. */
function exportPlan(captures: Capture[], picks: Iterable<Pick>, asked: ExportArgs['format']): ExportPlan {
  const format = asked ?? (captures.every((c) => c.interfaces.every((i) => i.pcapLittleEndian !== undefined)) ? 'pcap' : 'pcapng');
  try {
    return planExport(captures, format, picks);
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
