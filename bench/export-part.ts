/**
 * Export of a million packets of the bench capture, in process (the capture ingested once):
 * planning, then making chunks and writing them to /dev/null, as pcap (runs of the file's own
 * records) and as pcapng (a header and a range per packet).
 */
import { open } from 'node:fs/promises';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { pcapExport, pcapngExport, type Pick } from '../src/export/capture-export.ts';
import { partChunks } from '../src/export/part-stream.ts';
import { ingest } from '../src/store/capture.ts';
import type { Figure } from './figures.ts';
import type { BenchCapture } from './generate.ts';
import type { Warm } from './node-part.ts';

const EXPORTED = 1_000_000;

export async function benchExport(capture: BenchCapture, warm: Warm): Promise<Figure[]> {
  const source = await nodeFileSource(capture.path);
  const { capture: ingested } = await ingest(source, { forViewer: false });
  // Every 7th packet up to a million: scattered rows, not one run of the file.
  const step = Math.max(1, Math.floor(ingested.store.length / EXPORTED));
  const picks: Pick[] = [];
  for (let row = 0; row < ingested.store.length && picks.length < EXPORTED; row += step) picks.push({ capture: 0, row });
  const figures: Figure[] = [];
  for (const format of ['pcap', 'pcapng'] as const) {
    await warm();
    const started = performance.now();
    const plan = format === 'pcap' ? pcapExport([ingested], picks, 'us') : pcapngExport([ingested], picks);
    // Sizing the output (a pass over the picks) is the plan; making the parts and chunks is the rest.
    const plannedMs = performance.now() - started;
    let bytes = 0;
    let chunks = 0;
    const out = await open('/dev/null', 'w');
    for await (const chunk of partChunks(plan.parts, [source])) {
      await out.write(chunk);
      bytes += chunk.length;
      chunks++;
    }
    await out.close();
    const ms = performance.now() - started;
    figures.push({ name: `export ${picks.length.toLocaleString('en-US')} packets as ${format} (in process)`, wallMs: ms, bytes, packets: picks.length, note: `every ${step}th packet; planned in ${Math.round(plannedMs)} ms, then ${chunks} chunks made from the file and written` });
  }
  await source.close?.();
  return figures;
}
