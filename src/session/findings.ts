/**
 * Findings and the timeline's overlay lanes, placed: each capture's analysis is computed once,
 * after its ingest, in recorded times; here its times get the capture's clock offset
 * (placement.ts) each time they are asked for, so an offset set later moves them too.
 */
import { byStart, type Finding } from '../analysis/findings/finding.ts';
import { analyse, type Analysis } from '../analysis/findings/findings.ts';
import { overlayLanes, type OverlayLane } from '../analysis/overlays.ts';
import { vanishedPackets } from '../analysis/vanished.ts';
import type { CaptureSet, Entry } from './capture-set.ts';
import type { PlacedFinding } from './contract.ts';
import type { Placement } from './placement.ts';

export class Findings {
  /** Packets lost between capture points, once computed for the captures open then (by capture id). */
  private vanished: Promise<{ capture: number; finding: Finding }[]> | null = null;

  constructor(
    private readonly captures: CaptureSet,
    private readonly placement: Placement<Entry>,
  ) {}

  /** The open set changed: what compares captures starts over. */
  clear(): void {
    this.vanished = null;
  }

  /**
   * The findings of every capture read to the end, in one list by start. Computed once per
   * capture, in this worker, after its ingest; reads yield, so other questions are answered meanwhile.
   */
  async findings(): Promise<PlacedFinding[]> {
    const found: { capture: number; finding: Finding }[] = [];
    const open = this.captures.list();
    for (const entry of open) {
      if (!entry.finished) continue;
      for (const finding of (await analysis(entry)).findings) found.push({ capture: entry.id, finding });
    }
    if (open.every((e) => e.finished)) {
      this.vanished ??= vanishedPackets(open.map((e) => ({ capture: e.capture, source: e.source }))).then((list) =>
        list.map(({ capture, finding }) => ({ capture: open[capture].id, finding })),
      );
      found.push(...(await this.vanished));
    }
    // Captures closed while the analysis ran are left out; the rest are placed as they stand now.
    const position = this.placement.positions();
    const placed: PlacedFinding[] = [];
    for (const { capture, finding } of found) {
      if (!this.captures.has(capture)) continue;
      const start = this.placement.shift(capture, finding.start);
      const end = this.placement.shift(capture, finding.end);
      placed.push({
        ...finding,
        start,
        end,
        capture,
        captureName: this.captures.get(capture).capture.name,
        position: position(capture, finding.firstRow),
        fromSec: this.placement.secondsOf(capture, finding.start),
        toSec: this.placement.secondsOf(capture, finding.end),
      });
    }
    return placed.sort(byStart);
  }

  /** The timeline's overlay lanes (LACP ports, ARP targets, HSRP/VRRP groups, repeated frames) of every capture read. */
  async overlays(): Promise<OverlayLane[]> {
    const lanes: OverlayLane[] = [];
    const open = this.captures.list();
    for (const entry of open) {
      if (!entry.finished || entry.capture.store.length === 0) continue;
      const { findings: found, control } = await analysis(entry);
      if (!this.captures.has(entry.id)) continue;
      const { store } = entry.capture;
      const endSec = this.placement.timeOfRow(entry.id, store.rowAt(store.length - 1));
      const prefix = open.length > 1 ? `${entry.capture.name}: ` : '';
      for (const lane of overlayLanes(control, found, (t) => this.placement.secondsOf(entry.id, t), endSec))
        lanes.push({ ...lane, id: prefix + lane.id, label: prefix + lane.label });
    }
    return lanes;
  }
}

function analysis(entry: Entry): Promise<Analysis> {
  return (entry.analysis ??= analyse(entry.capture, entry.source));
}
