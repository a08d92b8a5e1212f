/**
 * The workspace's exports as jobs: each builds its Blob in the worker with progress, and
 * cancelExports() stops every one running (it then rejects with an AbortError, which the UI
 * takes as "cancelled", not as a failure).
 */
import type { ByteSource } from '../capture/byte-source.ts';
import { planBlob, type ExportProgress } from '../export/blob-export.ts';
import { pcapExport, pcapngExport, type ExportFormat, type Pick } from '../export/capture-export.ts';
import type { Capture } from '../store/capture.ts';

export interface ExportedBlob {
  blob: Blob;
  packets: number;
}

export class ExportJobs {
  private readonly running = new Set<AbortController>();

  /** `picks` is walked twice (sizes, then bytes): an array, or an iterable that starts over. */
  async run(entries: { capture: Capture; source: ByteSource }[], format: ExportFormat, picks: Iterable<Pick>, onProgress?: (p: ExportProgress) => void, sectionComment?: string): Promise<ExportedBlob> {
    const abort = new AbortController();
    this.running.add(abort);
    try {
      const captures = entries.map((e) => e.capture);
      const nano = captures.some((c) => c.interfaces.some((i) => i.resolution !== 'us' && i.resolution !== '10^-6'));
      const plan = format === 'pcap' ? pcapExport(captures, picks, nano ? 'ns' : 'us') : pcapngExport(captures, picks, sectionComment);
      const blob = await planBlob(plan, entries.map((e) => e.source), { signal: abort.signal, onProgress });
      return { blob, packets: plan.packets };
    } finally {
      this.running.delete(abort);
    }
  }

  cancel(): void {
    for (const abort of this.running) abort.abort();
  }
}
