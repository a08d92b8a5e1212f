/**
 * The selected packet: its row, its details and bytes, where else it was seen — all from
 * one call to the session (one read of the file). Answers to an older selection that arrive
 * after a newer one was made are dropped.
 */
import type { Selection as Selected, SelectTarget } from '../../session/contract.ts';
import type { ModelContext } from './context.ts';
import { captureLanes } from './viewer-state.ts';

/** The hex pane reads a huge record this much at a time (the worker's PACKET_HEAD_BYTES). */
const HEX_PAGE_BYTES = 1024 * 1024;

export class Selection {
  private generation = 0;

  constructor(private readonly ctx: ModelContext) {}

  /** Nothing selected; answers on their way are dropped (the captures changed). */
  forget(): void {
    this.generation++;
    this.ctx.store.update({ selected: null, details: null, selectError: null, seenAt: null });
    this.ctx.timeline?.setSelected(null, false);
    this.ctx.timeline?.setLinks([]);
  }

  /** Selects list row `index`; `scrollTimeline` brings its time into the timeline's view. */
  select(index: number, scrollTimeline = true): Promise<boolean> {
    return this.show(index, index, scrollTimeline);
  }

  /** Selects the packet at a merged position, or the first row the list shows after it. */
  jumpTo(position: number, scrollTimeline = true): Promise<boolean> {
    return this.show({ position }, null, scrollTimeline);
  }

  /** A capture's frame, selected again after the list changed under it (an offset moved it, a view names it). */
  async reselect(capture: number, frame: number): Promise<void> {
    if (!(await this.show({ capture, row: frame - 1 }, null, true))) this.forget();
  }

  /** `index`: the row already known, shown selected before the answer comes. False when no row shows the target. */
  private async show(target: SelectTarget, index: number | null, scrollTimeline: boolean): Promise<boolean> {
    const generation = ++this.generation;
    const { engine, store } = this.ctx;
    if (index !== null) store.update({ selected: { index, packet: null }, selectError: null });
    let s: Selected | null;
    try {
      s = await engine.select(target, { ignoreAddresses: store.getSnapshot().nat });
    } catch (error) {
      // A capture changed or removed on disk since it was opened, for one: say so, show nothing stale.
      if (generation === this.generation) store.update({ details: null, seenAt: null, selectError: (error as Error).message });
      return false;
    }
    if (generation !== this.generation) return false;
    if (!s) return false;
    const here = store.getSnapshot().opened.find((o) => o.id === s.capture)?.name ?? '';
    store.update({
      selected: { index: s.index, packet: { position: s.position, capture: s.capture, frame: s.frame, timeSec: s.timeSec } },
      details: { title: s.title, nodes: s.details, bytes: s.bytes, capLen: s.capLen, position: s.position },
      selectError: null,
      seenAt: s.seenAt.length ? { here, others: s.seenAt } : null,
    });
    const timeline = this.ctx.timeline;
    timeline?.setSelected(s.timeSec, scrollTimeline);
    const lanes = captureLanes(store.getSnapshot()).map((c) => c.id);
    timeline?.setLinks(
      s.seenAt
        .filter((o) => o.deltaSec !== null)
        .map((o) => ({ fromSec: s.timeSec, fromLane: lanes.indexOf(s.capture), toSec: s.timeSec + o.deltaSec!, toLane: lanes.indexOf(o.capture) })),
    );
    return true;
  }

  /** The hex pane's next page of a huge record. */
  async moreBytes(): Promise<void> {
    const { store, engine } = this.ctx;
    const d = store.getSnapshot().details;
    if (!d || d.bytes.length >= d.capLen) return;
    try {
      const page = await engine.packetSlice(d.position, d.bytes.length, HEX_PAGE_BYTES);
      const joined = new Uint8Array(d.bytes.length + page.length);
      joined.set(d.bytes);
      joined.set(page, d.bytes.length);
      if (store.getSnapshot().details === d) store.update({ details: { ...d, bytes: joined } });
    } catch (error) {
      store.update({ selectError: (error as Error).message });
    }
  }
}
