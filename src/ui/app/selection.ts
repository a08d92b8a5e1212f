/**
 * The selected packet: its row, its details and bytes, where else it was seen. Answers to an
 * older selection that arrive after a newer one was made are dropped.
 */
import type { ModelContext } from './context.ts';

/** The hex pane reads a huge record this much at a time (the worker's PACKET_HEAD_BYTES). */
const HEX_PAGE_BYTES = 1024 * 1024;

export class Selection {
  private generation = 0;

  constructor(private readonly ctx: ModelContext) {}

  /** Drops answers on their way (the captures changed). */
  forget(): void {
    this.generation++;
    this.ctx.store.update({ selected: null, details: null, selectError: null, seenAt: null });
    this.ctx.timeline?.setSelected(null, false);
    this.ctx.timeline?.setLinks([]);
  }

  /** Selects list row `index`; `scrollTimeline` brings its time into the timeline's view. */
  async select(index: number, scrollTimeline = true): Promise<void> {
    const generation = ++this.generation;
    const stale = () => generation !== this.generation;
    const { engine, store } = this.ctx;
    store.update({ selected: { index, packet: null }, selectError: null });
    let position: number;
    let capture: number;
    let timeSec: number;
    try {
      position = await engine.positionAt(index);
      const [t, packet] = await Promise.all([engine.timeOf(position), engine.packetAt(position)]);
      if (stale()) return;
      this.ctx.timeline?.setSelected(t, scrollTimeline);
      const nodes = await engine.details(position);
      if (stale()) return;
      [capture, timeSec] = [packet.capture, t];
      const part = packet.bytes.length < packet.capLen ? ` (the first ${count(packet.bytes.length)} decoded)` : '';
      store.update({
        selected: { index, packet: { position, capture, frame: packet.frame, timeSec } },
        details: { title: `Frame ${packet.frame}: ${count(packet.capLen)} bytes captured${part}, ${count(packet.origLen)} on the wire`, nodes, bytes: packet.bytes, capLen: packet.capLen, position },
        seenAt: null,
      });
    } catch (error) {
      // A capture changed or removed on disk since it was opened, for one: say so, show nothing stale.
      if (!stale()) store.update({ details: null, seenAt: null, selectError: (error as Error).message });
      return;
    }
    this.ctx.timeline?.setLinks([]);
    const others = await engine.seenAt(position, store.getSnapshot().nat);
    if (stale()) return;
    const here = store.getSnapshot().opened.find((o) => o.id === capture)?.name ?? '';
    store.update({ seenAt: others.length ? { here, others } : null });
    this.ctx.timeline?.setLinks(others.filter((o) => o.deltaSec !== null).map((o) => ({ fromSec: timeSec, fromLane: capture, toSec: timeSec + o.deltaSec!, toLane: o.capture })));
  }

  /** Selects the packet at a merged position, if the list shows it. */
  async jumpTo(position: number, scrollTimeline = true): Promise<boolean> {
    const index = await this.ctx.engine.indexOf(position);
    if (index >= 0) await this.select(index, scrollTimeline);
    return index >= 0;
  }

  /** The packet of a capture's frame, selected again after the list changed under it (an offset moved it). */
  async reselect(capture: number, frame: number): Promise<void> {
    const placed = await this.ctx.engine.placeRows(Uint32Array.of(capture), Uint32Array.of(frame - 1));
    if (placed.positions[0] < 0 || !(await this.jumpTo(placed.positions[0]))) this.forget();
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

const count = (n: number) => n.toLocaleString('en-US');
