/**
 * Exports as jobs: each builds its Blob, or writes the file the user picked, in the worker
 * with progress; a progress answer of true (or cancel()) stops it, and it then rejects with
 * an AbortError, which the UI takes as "cancelled", not as a failure. planExport is the one
 * way an export is planned, here and in the CLI.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import { planBlob, planFile } from '../export/plan-output.ts';
import { pcapExport, pcapngExport, type ExportFormat, type ExportPlan, type Pick, type WrittenTime } from '../export/capture-export.ts';
import type { Capture } from '../store/capture.ts';
import type { ExportedBlob, ExportProgressCallback, WritableFile } from './contract.ts';
import { stopOn } from './stop-answer.ts';

export interface PlanOptions {
  /** pcapng only: the section header's comments (an incident bundle's view). */
  sectionComments?: readonly string[];
  /** Times to write instead of the recorded ones (clock offsets). */
  timeOf?: WrittenTime;
}

/**
 * The plan for `picks` (whose `capture` indexes `captures`): pcap at ns precision when any
 * capture is finer than µs, pcapng at ns always. `picks` is walked twice (sizes, then
 * bytes): an array, or an iterable that starts over.
 */
export function planExport(captures: Capture[], format: ExportFormat, picks: Iterable<Pick>, options: PlanOptions = {}): ExportPlan {
  if (format === 'pcapng') return pcapngExport(captures, picks, options.sectionComments, options.timeOf);
  const nano = captures.some((c) => c.interfaces.some((i) => i.resolution !== 'us' && i.resolution !== '10^-6'));
  return pcapExport(captures, picks, nano ? 'ns' : 'us', options.timeOf);
}

/** Where an export goes: progress reports, and the file to write (else a Blob). */
export interface ExportTarget {
  onProgress?: ExportProgressCallback;
  file?: WritableFile;
}

export class ExportJobs {
  private readonly running = new Set<AbortController>();

  async run(
    entries: readonly { capture: Capture; source: ByteSource }[],
    format: ExportFormat,
    picks: Iterable<Pick>,
    target: ExportTarget,
    options: PlanOptions = {},
  ): Promise<ExportedBlob> {
    const abort = new AbortController();
    this.running.add(abort);
    try {
      const plan = planExport(
        entries.map((e) => e.capture),
        format,
        picks,
        options,
      );
      const sources = entries.map((e) => e.source);
      const { onProgress } = target;
      const output = {
        signal: abort.signal,
        ...(onProgress ? { onProgress: (p: Parameters<ExportProgressCallback>[0]) => stopOn(onProgress(p), abort) } : {}),
      };
      const blob = target.file ? await planFile(plan, sources, target.file, output) : await planBlob(plan, sources, output);
      return { blob, packets: plan.packets };
    } finally {
      this.running.delete(abort);
    }
  }

  cancel(): void {
    for (const abort of this.running) abort.abort();
  }
}
