/**
 * `export FILE... [--filter EXPR] [--from TIME] [--to TIME] [--marks FILE.json]
 *  [--format pcap|pcapng] -o OUT`: the chosen packets of one or several captures, merged
 * in time order (as mergecap), written from ranges of the input files.
 */
import { open, readFile } from 'node:fs/promises';
import { blobSource, type ByteSource } from '../capture/byte-source.ts';
import { before, type Instant } from '../analysis/findings/finding.ts';
import { nodeFileSource } from '../capture/node-file-source.ts';
import { pcapngParts, pcapParts, type Pick } from '../export/capture-export.ts';
import { partChunks } from '../export/part-stream.ts';
import { compileFilter } from '../filter/compile.ts';
import { checkLinkTypes } from '../filter/link-support.ts';
import { matchingRows } from '../filter/match.ts';
import { ingest, type Capture } from '../store/capture.ts';

export interface ExportArgs {
  files: string[];
  filter?: string;
  from?: string;
  to?: string;
  marks?: string;
  format?: 'pcap' | 'pcapng';
  out: string;
}

/** A marks file: frames (1-based, optionally of one input file by name) with notes, and time ranges. */
interface MarksFile {
  marks?: { file?: string; frame: number; note?: string }[];
  ranges?: { from: string; to: string; label?: string; note?: string }[];
}

export async function runExport(a: ExportArgs): Promise<{ packets: number; bytes: number }> {
  const filter = a.filter ? compileFilter(a.filter) : null;
  const from = a.from ? parseTime(a.from) : null;
  const to = a.to ? parseTime(a.to) : null;
  const marks: MarksFile | null = a.marks ? JSON.parse(await readFile(a.marks, 'utf8')) : null;
  const captures: Capture[] = [];
  const sources: ByteSource[] = [];
  const picks: Pick[] = [];
  try {
    for (const [c, path] of a.files.entries()) {
      const file = await nodeFileSource(path);
      const decompressed: Uint8Array[] = [];
      const { capture, read } = await ingest(file, { forViewer: false, onDecompressed: (chunk) => decompressed.push(chunk.slice()) });
      // Ranges of a gzip capture refer to its decompressed bytes.
      const source = read.compressed ? blobSource(new Blob(decompressed as BlobPart[]), path) : file;
      if (read.compressed) await file.close?.();
      captures.push(capture);
      sources.push(source);
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
    // mergecap's order: by time, the earlier file first on a tie, then file order (one capture
    // already in time order needs no sort).
    if (captures.length > 1 || captures.some((c) => c.store.order)) picks.sort((x, y) => {
      const sx = captures[x.capture].store;
      const sy = captures[y.capture].store;
      return sx.sec(x.row) - sy.sec(y.row) || sx.tsNs[x.row] - sy.tsNs[y.row] || x.capture - y.capture || x.row - y.row;
    });
    const format = a.format ?? (captures.every((c) => c.interfaces.every((i) => i.pcapLittleEndian !== undefined)) ? 'pcap' : 'pcapng');
    const precision = captures.some((c) => c.interfaces.some((i) => i.resolution !== 'us' && i.resolution !== '10^-6')) ? 'ns' : 'us';
    const parts = format === 'pcap' ? pcapParts(captures, picks, precision) : pcapngParts(captures, picks);
    const out = await open(a.out, 'w');
    let bytes = 0;
    try {
      for await (const chunk of partChunks(parts, sources)) {
        await out.write(chunk);
        bytes += chunk.length;
      }
    } finally {
      await out.close();
    }
    return { packets: picks.length, bytes };
  } finally {
    for (const s of sources) await s.close?.();
  }
}

/** Rows the marks file names for this capture, with their notes ('' when none). */
function markedRows(capture: Capture, path: string, marks: MarksFile): Map<number, string> {
  const out = new Map<number, string>();
  const name = path.split('/').pop();
  for (const m of marks.marks ?? []) {
    if (m.file && m.file !== name && m.file !== path) continue;
    if (m.frame >= 1 && m.frame <= capture.store.length) out.set(m.frame - 1, m.note ?? '');
  }
  const { store } = capture;
  for (const r of marks.ranges ?? []) {
    const from = parseTime(r.from);
    const to = parseTime(r.to);
    const note = [r.label, r.note].filter(Boolean).join(': ');
    for (let row = 0; row < store.length; row++) {
      const t = { sec: store.sec(row), ns: store.tsNs[row] };
      if (!before(t, from) && !before(to, t) && !out.get(row)) out.set(row, note);
    }
  }
  return out;
}

/** `2017-12-05T05:12:51.447649Z` (as `stats` prints) or epoch seconds `1512450771.447649`, to the ns. */
export function parseTime(text: string): Instant {
  const epoch = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (epoch) return { sec: Number(epoch[1]), ns: Number((epoch[2] ?? '').padEnd(9, '0')) };
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text.trim());
  if (!iso) throw new Error(`time "${text}": expected 2017-12-05T05:12:51.447649Z or epoch seconds`);
  return { sec: Date.parse(`${iso[1]}Z`) / 1000, ns: Number((iso[2] ?? '').padEnd(9, '0')) };
}
