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
  const chosen = new ChosenRows();
  try {
    for (const [c, path] of a.files.entries()) {
      const o = await openCapture(path, a.budgets);
      opened.push(o);
      const { capture, source } = o;
      if (filter) checkLinkTypes(filter, capture.interfaces.map((i) => i.linkType), path);
      const matching = filter ? await matchingRows(capture, source, filter) : null;
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
    const captures = opened.map((o) => o.capture);
    // mergecap's order: by time, the earlier file first on a tie, then file order (one capture
    // already in time order needs no sort).
    if (captures.length > 1 || captures.some((c) => c.store.order)) chosen.sortByTime(captures);
    const parts = exportParts(captures, chosen.picks(), a.format);
    const bytes = await writeAtomically(a.out, partChunks(parts, opened.map((o) => o.source)));
    return { packets: chosen.length, bytes };
  } finally {
    for (const o of opened) await o.close();
  }
}

/**
 * The packets chosen for an export, as columns (8 bytes a packet, 12 when sorted, where an object per
 * packet took about 48: 67 M packets took 7.6 GB), handed to the exporters as Picks made
 * one at a time on each walk.
 */
class ChosenRows {
  private captures = new Uint32Array(1024);
  private rows = new Uint32Array(1024);
  private order: Uint32Array | null = null;
  private readonly comments = new Map<number, string>();
  length = 0;

  add(capture: number, row: number, comment?: string): void {
    if (this.length === this.rows.length) {
      this.captures = grown(this.captures);
      this.rows = grown(this.rows);
    }
    if (comment) this.comments.set(this.length, comment);
    this.captures[this.length] = capture;
    this.rows[this.length++] = row;
  }

  sortByTime(captures: Capture[]): void {
    const { captures: of, rows } = this;
    const stores = captures.map((c) => c.store);
    this.order = Uint32Array.from({ length: this.length }, (_, i) => i).sort((x, y) => {
      const sx = stores[of[x]];
      const sy = stores[of[y]];
      return sx.sec(rows[x]) - sy.sec(rows[y]) || sx.tsNs[rows[x]] - sy.tsNs[rows[y]] || of[x] - of[y] || rows[x] - rows[y];
    });
  }

  picks(): Iterable<Pick> {
    const self = this;
    return {
      *[Symbol.iterator]() {
        for (let k = 0; k < self.length; k++) {
          const i = self.order ? self.order[k] : k;
          const comment = self.comments.get(i);
          yield comment ? { capture: self.captures[i], row: self.rows[i], comment } : { capture: self.captures[i], row: self.rows[i] };
        }
      },
    };
  }
}

function grown(from: Uint32Array): Uint32Array<ArrayBuffer> {
  const to = new Uint32Array(from.length * 2);
  to.set(from);
  return to;
}

function exportParts(captures: Capture[], picks: Iterable<Pick>, asked: ExportArgs['format']): Iterable<Part> {
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
