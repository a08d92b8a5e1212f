/**
 * One file's `stats` figures. (Reading the two halves of a large pcap on two threads was
 * tried and measured: on this 2-core machine each thread then ran at half speed, 5.9 s of
 * CPU against 3.0 s on one thread, so the command stays on one.)
 */
import { nodeFileSource } from '../capture/node-file-source.ts';
import { ingest } from '../store/capture.ts';
import { captureSummary, type CaptureSummary } from '../store/summary.ts';

export async function fileSummary(path: string): Promise<CaptureSummary> {
  const source = await nodeFileSource(path);
  try {
    const { capture, read, ingestMs } = await ingest(source, { forViewer: false });
    return captureSummary(capture, read.compressed ? `${read.format}.gz` : read.format, ingestMs);
  } finally {
    await source.close?.();
  }
}
