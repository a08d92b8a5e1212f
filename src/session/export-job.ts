/**
 * The workspace's exports as jobs: each builds its Blob, or writes the file the user picked,
 * in the worker with progress; cancel() stops every one running (it then rejects with an
 * AbortError, which the UI takes as "cancelled", not as a failure).
 */
import type { ByteSource } from '../capture/byte-source.ts';
import { planBlob, planFile, type ExportProgress, type WritableFile } from '../export/plan-output.ts';
import { pcapExport, pcapngExport, type ExportFormat, type Pick } from '../export/capture-export.ts';
import type { Capture } from '../store/capture.ts';

export interface ExportedBlob {
  /** The export; when it went to a file, that file as written (its bytes are not in memory). */
  blob: Blob;
  packets: number;
}

/** Where an export goes: progress reports, and the file to write (else a Blob). */
export interface ExportTarget {
  onProgress?: (p: ExportProgress) => void;
  file?: WritableFile;
}

export class ExportJobs {
  private readonly running = new Set<AbortController>();

  /** `picks` is walked twice (sizes, then bytes): an array, or an iterable that starts over. */
  async run(entries: { capture: Capture; source: ByteSource }[], format: ExportFormat, picks: Iterable<Pick>, target: ExportTarget, sectionComments?: readonly string[]): Promise<ExportedBlob> {
    const abort = new AbortController();
    this.running.add(abort);
    try {
      const captures = entries.map((e) => e.capture);
      const nano = captures.some((c) => c.interfaces.some((i) => i.resolution !== 'us' && i.resolution !== '10^-6'));
      const plan = format === 'pcap' ? pcapExport(captures, picks, nano ? 'ns' : 'us') : pcapngExport(captures, picks, sectionComments);
      const sources = entries.map((e) => e.source);
      const options = { signal: abort.signal, onProgress: target.onProgress };
      const blob = target.file ? await planFile(plan, sources, target.file, options) : await planBlob(plan, sources, options);
      return { blob, packets: plan.packets };
    } finally {
      this.running.delete(abort);
    }
  }

  cancel(): void {
    for (const abort of this.running) abort.abort();
  }
}
