/**
 * Where each packet of the open captures stands: the one module that turns (capture, row)
 * into a merged position and a placed time and back, and the only one that knows the clock
 * offsets. The list's times, the timeline, findings, overlay lanes, marks, seen-at and
 * exports all ask here, so an offset moves all of them at once.
 *
 * A placed time is the time the capture recorded plus its capture's clock offset:
 * - exactly, as an Instant (whole seconds since the epoch, ns), for what is printed;
 * - as seconds since the base (the first capture's first whole second) in a double, for
 *   the timeline's axis, binning and searches.
 */
import type { Instant } from '../analysis/findings/finding.ts';
import { MergedOrder } from '../store/merged-order.ts';
import type { PacketStore } from '../store/packet-store.ts';
import { lowerBound } from '../store/time-search.ts';

/** What placement needs of an open capture. */
export interface Placed {
  readonly id: number;
  readonly capture: { readonly store: PacketStore };
  readonly finished: boolean;
}

interface Offset {
  /** As given (the page shows it back). */
  seconds: number;
  /** The same, exactly: whole seconds (floor) and ns in [0, 1e9). */
  shift: Instant;
}

const NO_SHIFT: Offset = { seconds: 0, shift: { sec: 0, ns: 0 } };

/**
 * The merged order as it stands, for loops over many positions: no check per call that the
 * captures are unchanged (it is stale once they change; ask the Placement again then).
 */
export class PlacedOrder {
  readonly length: number;

  constructor(
    readonly order: MergedOrder,
    /** The captures in order slots: slot i of the merged order is slots[i]. */
    private readonly ids: readonly number[],
  ) {
    this.length = order.length;
  }

  /** The capture id of a position. */
  captureAt(position: number): number {
    return this.ids[this.order.captureAt(position)];
  }

  /** The order slot of a position: the index into Placement.slots(). */
  slotAt(position: number): number {
    return this.order.captureAt(position);
  }

  rowAt(position: number): number {
    return this.order.rowAt(position);
  }

  time(position: number): number {
    return this.order.time(position);
  }
}

interface Index<E> {
  slots: readonly E[];
  slotOf: Map<number, number>;
}

interface Arrangement<E> extends Index<E> {
  placed: PlacedOrder;
}

export class Placement<E extends Placed = Placed> {
  private readonly offsets = new Map<number, Offset>();
  private arranged: Arrangement<E> | null = null;
  private indexed: Index<E> | null = null;

  /** `open()`: the open captures in id order (the same array until they change). */
  constructor(private readonly open: () => readonly E[]) {}

  /** The captures changed (opened, closed, read further): the order is built again. */
  changed(): void {
    this.arranged = null;
  }

  /** Shifts a capture's clock by `seconds`, exact to the ns of its shortest decimal form. */
  setOffset(id: number, seconds: number): void {
    const shift = exactSeconds(seconds);
    if (shift.sec === 0 && shift.ns === 0) this.offsets.delete(id);
    else this.offsets.set(id, { seconds, shift });
    this.arranged = null;
  }

  /** Every capture's offset as given, by id (0 for ids not open). */
  offsetsById(): number[] {
    const list = this.open();
    const out = new Array<number>(list.length ? list[list.length - 1].id + 1 : 0).fill(0);
    for (const e of list) out[e.id] = this.offsetOf(e.id).seconds;
    return out;
  }

  /** Whether any open capture's clock is shifted. */
  shifted(): boolean {
    return this.open().some((e) => this.offsetOf(e.id) !== NO_SHIFT);
  }

  forget(id: number): void {
    this.offsets.delete(id);
    this.arranged = null;
  }

  clear(): void {
    this.offsets.clear();
    this.arranged = null;
  }

  /** Whole seconds since the epoch that the ...Sec times count from. */
  get baseSec(): number {
    return this.open().find((e) => e.capture.store.length > 0)?.capture.store.baseSec ?? 0;
  }

  /**
   * The merged order, built once all captures are read. While one is still being read the
   * captures are taken one after the other, in id order: O(1) to set up, as the viewer asks
   * while reading, and exact for one time-ordered capture.
   */
  ordered(): PlacedOrder {
    return this.arrangement().placed;
  }

  /** The merged order itself, for store-level code: its capture indices are order slots. */
  order(): MergedOrder {
    return this.arrangement().placed.order;
  }

  /** The captures by order slot (what store-level code indexes by order.captureAt). */
  slots(): readonly E[] {
    return this.arrangement().slots;
  }

  get length(): number {
    return this.ordered().length;
  }

  captureAt(position: number): number {
    return this.ordered().captureAt(position);
  }

  rowAt(position: number): number {
    return this.ordered().rowAt(position);
  }

  /** Seconds since the base of the packet at a position. */
  time(position: number): number {
    return this.ordered().time(position);
  }

  /** First position whose time is >= t. */
  lowerBound(t: number): number {
    return this.order().lowerBound(t);
  }

  /** The order slot of a capture (the index into slots()), or -1 when it is not open. */
  slotOf(capture: number): number {
    return this.index().slotOf.get(capture) ?? -1;
  }

  /** (capture, row) -> position, -1 where no such packet is open: built once per call, for many lookups. */
  positions(): (capture: number, row: number) => number {
    const { placed, slotOf, slots } = this.arrangement();
    const inverse = placed.order.positionsOfRows();
    return (capture, row) => {
      const slot = slotOf.get(capture);
      if (slot === undefined || !(row >= 0 && row < slots[slot].capture.store.length)) return -1;
      return inverse(slot, row);
    };
  }

  /** The placed time of a capture's row, exactly. */
  instantOf(capture: number, row: number): Instant {
    const { store } = this.entry(capture).capture;
    return this.shift(capture, { sec: store.sec(row), ns: store.tsNs[row] });
  }

  instantAt(position: number): Instant {
    return this.instantOf(this.captureAt(position), this.rowAt(position));
  }

  /** A time the capture recorded (a finding's start, say), placed: its offset added, exactly. */
  shift(capture: number, t: Instant): Instant {
    const { shift } = this.offsetOf(capture);
    const ns = t.ns + shift.ns;
    const carry = ns >= 1e9 ? 1 : 0;
    return { sec: t.sec + shift.sec + carry, ns: ns - carry * 1e9 };
  }

  /** A time the capture recorded, placed, in seconds since the base. */
  secondsOf(capture: number, t: Instant): number {
    const { shift } = this.offsetOf(capture);
    return t.sec - this.baseSec + shift.sec + (t.ns + shift.ns) / 1e9;
  }

  /** What is added to a capture's store times (seconds since its own baseSec) to place them. */
  offsetSec(capture: number): number {
    const { shift } = this.offsetOf(capture);
    return this.entry(capture).capture.store.baseSec - this.baseSec + shift.sec + shift.ns / 1e9;
  }

  /** Seconds since the base of a capture's row. */
  timeOfRow(capture: number, row: number): number {
    return this.entry(capture).capture.store.relSeconds(row) + this.offsetSec(capture);
  }

  /** The first time-order index of a capture's own store at or after t (seconds since the base). */
  storeLowerBound(capture: number, t: number): number {
    return lowerBound(this.entry(capture).capture.store, t - this.offsetSec(capture));
  }

  /** The earliest and latest placed times, kept as packets arrive: cheap while reading. */
  extent(): { fromSec: number; toSec: number } {
    let fromSec = Infinity;
    let toSec = -Infinity;
    for (const e of this.open()) {
      const { store } = e.capture;
      if (store.length === 0) continue;
      const offset = this.offsetSec(e.id);
      fromSec = Math.min(fromSec, store.minRelSeconds + offset);
      toSec = Math.max(toSec, store.maxRelSeconds + offset);
    }
    return fromSec <= toSec ? { fromSec, toSec } : { fromSec: 0, toSec: 0 };
  }

  /** The first packet's placed time, exactly (the earlier capture on a tie): what Relative times count from. */
  origin(): Instant {
    let first: Instant | null = null;
    for (const e of this.open()) {
      const { store } = e.capture;
      if (store.length === 0) continue;
      const t = this.instantOf(e.id, store.rowAt(0));
      if (!first || t.sec < first.sec || (t.sec === first.sec && t.ns < first.ns)) first = t;
    }
    return first ?? { sec: 0, ns: 0 };
  }

  private offsetOf(capture: number): Offset {
    return this.offsets.get(capture) ?? NO_SHIFT;
  }

  private entry(capture: number): E {
    const { slots, slotOf } = this.index();
    const slot = slotOf.get(capture);
    if (slot === undefined) throw new RangeError(`no capture ${capture}`);
    return slots[slot];
  }

  /** Slots by capture id, for the open captures as they stand (cheap: no order is built). */
  private index(): Index<E> {
    const slots = this.open();
    if (this.indexed?.slots !== slots) this.indexed = { slots, slotOf: new Map(slots.map((e, i) => [e.id, i])) };
    return this.indexed;
  }

  private arrangement(): Arrangement<E> {
    const index = this.index();
    const { slots } = index;
    const reading = slots.some((e) => !e.finished);
    const length = slots.reduce((n, e) => n + e.capture.store.length, 0);
    const a = this.arranged;
    if (a && !reading && a.slots === slots && a.placed.length === length) return a;
    const baseSec = this.baseSec;
    const order = new MergedOrder(
      slots.map((e) => {
        const { shift } = this.offsetOf(e.id);
        return { store: e.capture.store, offsetSec: e.capture.store.baseSec - baseSec + shift.sec, offsetNs: shift.ns };
      }),
      reading,
    );
    this.arranged = {
      ...index,
      placed: new PlacedOrder(
        order,
        slots.map((e) => e.id),
      ),
    };
    return this.arranged;
  }
}

/**
 * Seconds as an exact time: the shortest decimal that gives this double (what was typed,
 * for anything typed with up to 17 digits), rounded to the ns. 3600.000000123 is
 * 3600 s + 123 ns, which the double alone would put 0.00005 ns away.
 */
export function exactSeconds(seconds: number): Instant {
  if (!Number.isFinite(seconds)) throw new RangeError(`a clock offset must be a finite number of seconds, not ${seconds}`);
  const [, sign, whole, fraction = '', exponent = '0'] = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(seconds))!;
  const digits = BigInt(whole + fraction);
  const scale = 9 + Number(exponent) - fraction.length;
  const magnitude = scale >= 0 ? digits * 10n ** BigInt(scale) : (digits * 2n + 10n ** BigInt(-scale)) / (2n * 10n ** BigInt(-scale));
  const ns = sign ? -magnitude : magnitude;
  let sec = ns / 1_000_000_000n;
  if (ns < 0n && sec * 1_000_000_000n !== ns) sec -= 1n;
  return { sec: Number(sec), ns: Number(ns - sec * 1_000_000_000n) };
}
