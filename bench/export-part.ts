/**
 * Export of a million packets of the bench capture, in process (the capture ingested once):
 * building the parts, then streaming them to /dev/null, as pcap (runs of the file's own
 * records) and as pcapng (a header and a range per packet).
 */
import { open } from 'node:fs/promises';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { pcapngParts, pcapParts, type Pick } from '../src/export/capture-export.ts';
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
    const parts = format === 'pcap' ? pcapParts([ingested], picks, 'us') : pcapngParts([ingested], picks);
    // What the browser does: the parts become a Blob of file slices; writing them out is the rest.
    const builtMs = performance.now() - started;
    let bytes = 0;
    const out = await open('/dev/null', 'w');
    for await (const chunk of partChunks(parts, [source])) {
      await out.write(chunk);
      bytes += chunk.length;
    }
    await out.close();
    const ms = performance.now() - started;
    figures.push({ name: `export ${picks.length.toLocaleString('en-US')} packets as ${format} (in process)`, wallMs: ms, bytes, packets: picks.length, note: `every ${step}th packet; ${parts.length.toLocaleString('en-US')} parts built in ${Math.round(builtMs)} ms, then streamed from the file` });
  }
  await source.close?.();
  return figures;
}
