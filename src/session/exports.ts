/**
 * The session's three exports: list rows as shown, chosen packets (marks and marked ranges),
 * and the incident bundle. Packets go out in merged time order with their placed times: a
 * capture's clock offset is written into its packets' timestamps, so the file agrees with
 * what the page showed (with no offset set, the records are copied as they are).
 */
import { bundleComments } from '../share/bundle.ts';
import type { SharedView } from '../share/view-link.ts';
import type { ExportFormat, Pick } from '../export/capture-export.ts';
import type { Entry } from './capture-set.ts';
import { ChosenPackets } from './chosen-packets.ts';
import type { BundleRange, BundleView, ExportedBlob, ExportProgressCallback, MarkedRange, WritableFile } from './contract.ts';
import { ExportJobs, type ExportTarget } from './export-job.ts';
import type { Filtering } from './filtering.ts';
import type { Placement } from './placement.ts';

export class Exports {
  private readonly jobs = new ExportJobs();

  constructor(
    private readonly placement: Placement<Entry>,
    private readonly filtering: Filtering,
  ) {}

  /**
   * The list rows [from, to) (the filtered packets, or those of a time window), built in
   * chunks of megabytes: a Blob, or written to `file` (a FileSystemFileHandle the user picked).
   */
  listRows(format: ExportFormat, from: number, to: number, onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob> {
    const placed = this.placement.ordered();
    const view = this.filtering.view();
    const first = Math.max(0, from);
    const end = Math.min(to, view.length);
    // Walked as needed, not held: ten million picks would be a gigabyte of objects.
    const picks = {
      *[Symbol.iterator](): Generator<Pick> {
        for (let i = first; i < end; i++) {
          const p = view.positionAt(i);
          yield { capture: placed.slotAt(p), row: placed.rowAt(p) };
        }
      },
    };
    return this.run(format, picks, { onProgress, file });
  }

  /** Chosen packets (notes as comments) and every packet of the time ranges, in time order. */
  picks(format: ExportFormat, picks: Pick[], ranges: MarkedRange[] = [], onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob> {
    const chosen = new ChosenPackets(this.placement);
    for (const p of picks) chosen.add(p.capture, p.row, p.comment);
    for (const r of ranges) chosen.addRange(r.fromSec, r.toSec);
    return this.run(format, chosen.picks(), { onProgress, file });
  }

  /**
   * The incident bundle: marked packets (with their notes) and every packet of the marked
   * ranges, as one pcapng whose section comment holds the view, frames renumbered to the
   * bundle's own.
   */
  bundle(marks: Pick[], ranges: BundleRange[], view: BundleView, onProgress?: ExportProgressCallback, file?: WritableFile): Promise<ExportedBlob> {
    const chosen = new ChosenPackets(this.placement);
    const marked = marks.map((m) => ({ position: chosen.add(m.capture, m.row, m.comment), note: m.comment ?? '' })).filter((m) => m.position >= 0);
    for (const r of ranges) chosen.addRange(r.fromSec, r.toSec);
    const selected = view.selected ? this.placement.positions()(view.selected.capture, view.selected.row) : -1;
    const frames = chosen.framesOf([...marked.map((m) => m.position), selected]);
    const base = this.placement.baseSec;
    const shared: SharedView = {
      v: 1,
      captures: [],
      ...(view.span ? { window: { from: base + view.span.fromSec, to: base + view.span.toSec } } : {}),
      ...(view.filter ? { filter: view.filter } : {}),
      marks: marked.map((m) => ({ c: 0, frame: frames.get(m.position)!, note: m.note })),
      ranges: ranges.map((r) => ({ from: base + r.fromSec, to: base + r.toSec, label: r.label, note: r.note })),
      ...(frames.has(selected) ? { selected: { c: 0, frame: frames.get(selected)! } } : {}),
    };
    return this.run('pcapng', chosen.picks(), { onProgress, file }, bundleComments(shared));
  }

  /** Stops every export running; each rejects with an AbortError. */
  cancel(): void {
    this.jobs.cancel();
  }

  /** `picks` name captures by order slot. */
  private run(format: ExportFormat, picks: Iterable<Pick>, target: ExportTarget, sectionComments?: readonly string[]): Promise<ExportedBlob> {
    const slots = this.placement.slots();
    const timeOf = this.placement.shifted() ? (slot: number, row: number) => this.placement.instantOf(slots[slot].id, row) : undefined;
    return this.jobs.run(slots, format, picks, target, { sectionComments, timeOf });
  }
}
