/**
 * The `packet-timeline` command: the same engine as the web workers, over Node files.
 *   stats FILE... [--json]
 *   count FILE... --filter EXPR [--filter EXPR...] [--frames]
 *   conversations FILE... [--json] [--by ip|ether|flow|vlan|proto] [--sort packets|bytes] [--top N]
 *   findings FILE... [--json]
 *   export FILE... [--filter EXPR] [--from TIME] [--to TIME] [--marks FILE.json] [--format pcap|pcapng] -o OUT
 * and with any of them --max-packets N / --max-decompressed-bytes N (read-budget.ts).
 * Input problems exit 2 with one line (input-error.ts); only a bug exits 1.
 */
import { CONVERSATION_KINDS, conversations, flowTotals, topConversations, type ConversationKind, type Tally } from '../analysis/conversations.ts';
import { findings } from '../analysis/findings/findings.ts';
import { byStart, type Finding } from '../analysis/findings/finding.ts';
import type { ReadBudgets } from '../capture/read-budget.ts';
import { compileFilter } from '../filter/compile.ts';
import { checkLinkTypes } from '../filter/link-support.ts';
import { matchingRows } from '../filter/match.ts';
import { summarize, type Stats } from '../store/summary.ts';
import { isoTime } from '../store/time-format.ts';
import { runExport, type ExportArgs } from './export-command.ts';
import { fileSummary } from './file-summary.ts';
import { InputError, inputErrorLine } from './input-error.ts';
import { forEachCapture } from './open-capture.ts';

const USAGE = [
  'usage: packet-timeline stats FILE... [--json]',
  '       packet-timeline count FILE... --filter EXPR [--filter EXPR...] [--frames]',
  '       packet-timeline conversations FILE... [--json] [--by ip|ether|flow|vlan|proto] [--sort packets|bytes] [--top N]',
  '       packet-timeline findings FILE... [--json]',
  '       packet-timeline export FILE... [--filter EXPR] [--from TIME] [--to TIME] [--marks FILE.json] [--format pcap|pcapng] -o OUT',
  '       any of them: [--max-packets N] [--max-decompressed-bytes N]',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const { budgets, rest: args } = takeBudgets(argv);
  const [command, ...rest] = args;
  if (command === 'count') return count(rest, budgets);
  if (command === 'conversations') return conversationTable(rest, budgets);
  if (command === 'findings') return findingTable(rest, budgets);
  if (command === 'export') return exportCommand(rest, budgets);
  const json = rest.includes('--json');
  const files = rest.filter((a) => !a.startsWith('--'));
  if (command !== 'stats' || files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const parts = [];
  for (const path of files) parts.push(await fileSummary(path, budgets));
  const stats = summarize(parts);
  process.stdout.write(json ? `${JSON.stringify(stats)}\n` : readable(stats));
  return 0;
}

/** Matching packets per filter, one line each in the order given; --frames lists frame numbers. */
async function count(args: string[], budgets: ReadBudgets): Promise<number> {
  const expressions: string[] = [];
  const files: string[] = [];
  let frames = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--filter') expressions.push(args[++i] ?? '');
    else if (args[i] === '--frames') frames = true;
    else files.push(args[i]);
  }
  if (files.length === 0 || expressions.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const filters = expressions.map((e) => compileFilter(e));
  const counts = filters.map(() => 0);
  const lines: string[] = [];
  let frameBase = 0;
  await forEachCapture(files, budgets, async ({ capture, source, path }) => {
    for (const filter of filters)
      checkLinkTypes(
        filter,
        capture.interfaces.map((i) => i.linkType),
        path,
      );
    for (const [k, filter] of filters.entries()) {
      const rows = await matchingRows(capture, source, filter);
      counts[k] += rows.length;
      if (frames) for (const row of rows) lines.push(String(frameBase + row + 1));
    }
    frameBase += capture.store.length;
  });
  process.stdout.write(`${(frames ? lines : counts.map(String)).join('\n')}\n`);
  return 0;
}

/** The conversations table of `--by` kind over all files (one row per conversation across files). */
async function conversationTable(args: string[], budgets: ReadBudgets): Promise<number> {
  let kind: ConversationKind = 'ip';
  let by: 'packets' | 'bytes' = 'packets';
  let top = Infinity;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') json = true;
    else if (args[i] === '--by') kind = args[++i] as ConversationKind;
    else if (args[i] === '--sort') by = args[++i] as 'packets' | 'bytes';
    else if (args[i] === '--top') top = Number(args[++i]);
    else files.push(args[i]);
  }
  if (files.length === 0 || !CONVERSATION_KINDS.includes(kind) || (by !== 'packets' && by !== 'bytes') || !(top > 0)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const tables: Tally[][] = [];
  let packets = 0;
  await forEachCapture(files, budgets, async ({ capture }) => {
    packets += capture.store.length;
    tables.push(conversations(capture, flowTotals(capture), kind));
  });
  const { rows } = topConversations(kind, tables, by, top);
  const out = rows.map((c) => ({
    ...c,
    share: packets ? c.packets / packets : 0,
    first: isoTime(c.firstSec, c.firstNs),
    last: isoTime(c.lastSec, c.lastNs),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ by: kind, packets, conversations: out })}\n`);
    return 0;
  }
  for (const c of out) {
    const ends = c.b ? `${c.a} <-> ${c.b}` : c.a;
    const what = [c.vlan ? `vlan ${c.vlan}` : '', c.transport ?? '', ends].filter(Boolean).join(' ');
    process.stdout.write(
      `${String(c.packets).padStart(10)} pkts ${String(c.bytes).padStart(13)} B ${(100 * c.share).toFixed(2).padStart(6)}%  ${what}  [${c.filter ?? 'no exact tcpdump expression'}]\n`,
    );
  }
  return 0;
}

async function exportCommand(args: string[], budgets: ReadBudgets): Promise<number> {
  const a: Partial<ExportArgs> & { files: string[] } = { files: [], budgets };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--filter') a.filter = args[++i];
    else if (flag === '--from') a.from = args[++i];
    else if (flag === '--to') a.to = args[++i];
    else if (flag === '--marks') a.marks = args[++i];
    else if (flag === '--format') a.format = args[++i] as ExportArgs['format'];
    else if (flag === '-o') a.out = args[++i];
    else a.files.push(flag);
  }
  if (a.files.length === 0 || !a.out || (a.format && a.format !== 'pcap' && a.format !== 'pcapng')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const { packets, bytes } = await runExport(a as ExportArgs);
  process.stderr.write(`${a.out}: ${packets} packets, ${bytes} bytes, ${Math.round(performance.now() - started)} ms\n`);
  return 0;
}

/** The incident summary of each file, in one list sorted by start; frames are numbered per file. */
async function findingTable(args: string[], budgets: ReadBudgets): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const all: (Finding & { file: string })[] = [];
  await forEachCapture(files, budgets, async ({ capture, source, path }) => {
    for (const f of await findings(capture, source)) all.push({ ...f, file: path });
  });
  all.sort(byStart);
  const rows = all.map((f) => ({
    kind: f.kind,
    start: isoTime(f.start.sec, f.start.ns),
    end: isoTime(f.end.sec, f.end.ns),
    firstFrame: f.firstRow + 1,
    frames: f.frames,
    subject: f.subject,
    summary: f.summary,
    detail: f.detail,
    ...(files.length > 1 ? { file: f.file } : {}),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ findings: rows })}\n`);
    return 0;
  }
  for (const r of rows) process.stdout.write(`${r.start}  frame ${String(r.firstFrame).padStart(8)}  ${r.kind.padEnd(16)} ${r.summary}\n`);
  return 0;
}

/** Takes the budget flags out of the arguments, wherever they stand. */
function takeBudgets(argv: string[]): { budgets: ReadBudgets; rest: string[] } {
  const budgets: ReadBudgets = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max-packets') budgets.maxPackets = wholeNumber(argv[i], argv[++i]);
    else if (argv[i] === '--max-decompressed-bytes') budgets.maxDecompressedBytes = wholeNumber(argv[i], argv[++i]);
    else rest.push(argv[i]);
  }
  return { budgets, rest };
}

function wholeNumber(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (!text || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new InputError(`${flag}: expected a whole number >= 1, got "${text ?? ''}"`);
  return n;
}

function readable(stats: Stats): string {
  const lines: string[] = [];
  for (const f of stats.files) {
    lines.push(`${f.name}: ${f.format}, ${f.linkTypes.join(', ') || 'no interfaces'}, ${f.packets} packets`);
    for (const w of f.warnings) lines.push(`  warning: ${w}`);
  }
  lines.push(`packets: ${stats.packets}`);
  lines.push(`first:   ${stats.first ?? '-'}`);
  lines.push(`last:    ${stats.last ?? '-'}`);
  lines.push(
    `protocols: ${Object.entries(stats.protocols)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  lines.push(`store:   ${stats.storeBytes} bytes (${stats.bytesPerPacket} per packet), ingest ${stats.ingestMs} ms`);
  return `${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const line = inputErrorLine(error);
    process.stderr.write(line ? `${line}\n` : `packet-timeline: ${(error as Error).stack ?? error}\n`);
    process.exit(line ? 2 : 1);
  },
);
