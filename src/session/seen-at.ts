/**
 * The same packet at the other capture points: its content key (the network packet less
 * what hops rewrite, packet-key.ts) looked for among each other capture's packets within a
 * second of its placed time, so clock offsets count.
 */
import { packetKey } from '../analysis/packet-key.ts';
import { visitRowBytes } from '../store/row-bytes.ts';
import { upperBound } from '../store/search.ts';
import type { CaptureSet } from './capture-set.ts';
import type { SeenAt } from './contract.ts';
import type { Placement } from './placement.ts';

/** The same packet is looked for within this much time at the other capture points. */
const SEEN_WITHIN_SEC = 1;
const SEEN_MAX_CANDIDATES = 20_000;

/** `frame`: the packet's captured bytes (all of them), at merged position `position`. */
export async function seenAt(captures: CaptureSet, placement: Placement, position: number, frame: Uint8Array, ignoreAddresses: boolean): Promise<SeenAt[]> {
  const c0 = placement.captureAt(position);
  const key = packetKey(frame, linkTypeOf(captures, c0, placement.rowAt(position)), ignoreAddresses);
  if (key === null || captures.count < 2) return [];
  const t0 = placement.time(position);
  const out: SeenAt[] = [];
  for (const entry of captures.list()) {
    if (entry.id === c0) continue;
    const { store } = entry.capture;
    const first = placement.storeLowerBound(entry.id, t0 - SEEN_WITHIN_SEC);
    const end = placement.storeLowerBound(entry.id, t0 + SEEN_WITHIN_SEC);
    const seen: SeenAt = { capture: entry.id, name: entry.capture.name, deltaSec: null, checked: end - first <= SEEN_MAX_CANDIDATES };
    if (seen.checked && end > first) {
      // The candidates' bytes in a few large reads, not one read per packet.
      const rows = Uint32Array.from({ length: end - first }, (_, i) => store.rowAt(first + i)).sort();
      const wanted = new Set(rows);
      const next = (after: number) => {
        const i = upperBound(rows, after);
        return i < rows.length ? rows[i] : -1;
      };
      await visitRowBytes(
        entry.capture,
        entry.source,
        rows[0],
        (r) => wanted.has(r),
        next,
        (row, bytes, at) => {
          if (packetKey(bytes.subarray(at, at + store.capLen[row]), linkTypeOf(captures, entry.id, row), ignoreAddresses) !== key) return;
          const delta = placement.timeOfRow(entry.id, row) - t0;
          if (seen.deltaSec === null || Math.abs(delta) < Math.abs(seen.deltaSec)) seen.deltaSec = delta;
        },
      );
    }
    out.push(seen);
  }
  return out;
}

export function linkTypeOf(captures: CaptureSet, capture: number, row: number): number {
  const c = captures.get(capture).capture;
  return c.interfaces[c.store.iface[row]].linkType;
}
