/**
 * Filters over the bench capture: our engine in process (the capture ingested once) against
 * `tcpdump -nr FILE -w /dev/null EXPR` as a whole process, for field story 1's expressions
 * and a byte-offset one.
 */
import type { ByteSource } from '../src/capture/byte-source.ts';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { compileFilter } from '../src/filter/compile.ts';
import { matchingRows } from '../src/filter/match.ts';
import { ingest } from '../src/store/capture.ts';
import { analyse } from '../src/analysis/findings/findings.ts';
import { CONVERSATION_KINDS, conversations, flowTotals, topConversations } from '../src/analysis/conversations.ts';
import { atMost, type Check, type Figure } from './figures.ts';
import type { BenchCapture } from './generate.ts';
import type { Warm } from './node-part.ts';
import { findOnPath, medianRun, timeProcess } from './process-timing.ts';

export const BENCH_FILTERS = [
  'not (vlan and ip and port 9090)',
  'not (vlan and host 10.200.224.80)',
  'not icmp and not vrrp and not (vlan and ip and port (33389 or 1434))',
  'icmp',
  'tcp[tcpflags] & tcp-syn != 0',
];

/** The expressions the flow dictionary answers; the last of BENCH_FILTERS needs the frames' bytes. */
const COLUMN_ANSWERED = BENCH_FILTERS.slice(0, -1);
const COLUMN_TARGET_MS = 150;
/** "A few seconds at most" (issue 5). */
const FINDINGS_TARGET_SEC = 5;

export async function benchFilters(capture: BenchCapture, warm: Warm): Promise<{ figures: Figure[]; checks: Check[] }> {
  const source = await nodeFileSource(capture.path);
  const { capture: ingested } = await ingest(source, { forViewer: false });
  const tcpdump = findOnPath('tcpdump');
  const figures: Figure[] = [];
  const checks: Check[] = [];
  for (const expression of BENCH_FILTERS) {
    await warm();
    const filter = compileFilter(expression);
    let bytesRead = 0;
    const counted: ByteSource = {
      name: source.name,
      sizeBytes: source.sizeBytes,
      read: (at, length) => {
        bytesRead += length;
        return source.read(at, length);
      },
      stream: () => source.stream(),
    };
    const started = performance.now();
    const rows = await matchingRows(ingested, counted, filter);
    const ms = performance.now() - started;
    const reread = `${((100 * bytesRead) / capture.bytes).toFixed(1)}% of the file re-read`;
    figures.push({
      name: `filter '${expression}' (in process)`,
      wallMs: ms,
      bytes: capture.bytes,
      packets: capture.packets,
      note: `${rows.length.toLocaleString('en-US')} match; ${reread}`,
    });
    if (COLUMN_ANSWERED.includes(expression)) checks.push(atMost(`filter '${expression}' in process`, ms, COLUMN_TARGET_MS, 'ms'));
    if (tcpdump) {
      const { median } = await medianRun(3, warm, () => timeProcess(tcpdump, ['-nr', capture.path, '-w', '/dev/null', expression]));
      figures.push({ name: `  tcpdump -w /dev/null, same filter`, wallMs: median.wallMs, bytes: capture.bytes, packets: capture.packets, note: 'median of 3' });
    }
  }
  for (const kind of CONVERSATION_KINDS) {
    const started = performance.now();
    const { count } = topConversations(kind, [conversations(ingested, flowTotals(ingested), kind)], 'packets', 500);
    const ms = performance.now() - started;
    figures.push({
      name: `conversations by ${kind} (in process)`,
      wallMs: ms,
      bytes: capture.bytes,
      packets: capture.packets,
      note: `${count.toLocaleString('en-US')} conversations, the largest 500 described`,
    });
  }
  await warm();
  const started = performance.now();
  const { findings, control } = await analyse(ingested, source);
  const ms = performance.now() - started;
  const read = control.arp.length + control.lacp.length + control.redundancy.length;
  figures.push({
    name: 'findings (in process, after ingest)',
    wallMs: ms,
    bytes: capture.bytes,
    packets: capture.packets,
    note: `${findings.length} findings; ${read.toLocaleString('en-US')} control frames re-read and decoded`,
  });
  checks.push(atMost('findings on the whole capture', ms / 1000, FINDINGS_TARGET_SEC, 's'));
  await source.close?.();
  return { figures, checks };
}
