/**
 * Packets that vanished between capture points (field story 2: the ARP reply seen on eth0 and
 * br0, never on eth1). Every packet of every capture gets its content key (packet-key.ts); a
 * key seen at two points or more but missing at another is a packet lost on the way there.
 * It reads every packet once, so it runs only for captures of moderate size.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import { packetInfo } from '../decode/info.ts';
import type { Capture } from '../store/capture.ts';
import { visitRowBytes } from '../store/row-bytes.ts';
import type { Finding } from './findings/finding.ts';
import { packetKey } from './packet-key.ts';

/** Above this many packets in all, the comparison is left out (it would re-read every packet). */
export const VANISHED_MAX_PACKETS = 2_000_000;

export interface PointCapture {
  capture: Capture;
  source: ByteSource;
}

interface Seen {
  /** Bit per capture that holds the key; the first row seen, per capture. */
  points: number;
  first: { capture: number; row: number };
}

/** One finding per capture that misses packets the others saw, with the capture it belongs to. */
export async function vanishedPackets(points: PointCapture[]): Promise<{ capture: number; finding: Finding }[]> {
  const total = points.reduce((n, p) => n + p.capture.store.length, 0);
  if (points.length < 3 || points.length > 30 || total > VANISHED_MAX_PACKETS) return [];
  const seen = new Map<string, Seen>();
  for (const [c, { capture, source }] of points.entries()) {
    const { store } = capture;
    await visitRowBytes(
      capture,
      source,
      store.length ? 0 : -1,
      () => true,
      (after) => (after + 1 < store.length ? after + 1 : -1),
      (row, bytes, at) => {
        const frame = bytes.subarray(at, at + store.capLen[row]);
        const key = packetKey(frame, capture.interfaces[store.iface[row]].linkType);
        if (key === null) return;
        const s = seen.get(key);
        if (s) s.points |= 1 << c;
        else seen.set(key, { points: 1 << c, first: { capture: c, row } });
      },
    );
  }
  const all = (1 << points.length) - 1;
  const missing = new Map<number, Seen[]>();
  for (const s of seen.values()) {
    if (s.points === all || popcount(s.points) < 2) continue;
    for (let c = 0; c < points.length; c++) {
      if (s.points & (1 << c)) continue;
      const list = missing.get(c);
      if (list) list.push(s);
      else missing.set(c, [s]);
    }
  }
  const out: { capture: number; finding: Finding }[] = [];
  for (const [c, list] of missing) {
    const time = (s: Seen) => points[s.first.capture].capture.store;
    list.sort((x, y) => time(x).sec(x.first.row) - time(y).sec(y.first.row) || time(x).tsNs[x.first.row] - time(y).tsNs[y.first.row]);
    const first = list[0].first;
    const last = list[list.length - 1].first;
    const from = points[first.capture];
    const bytes = await from.source.read(from.capture.store.offset[first.row], from.capture.store.capLen[first.row]);
    const words = packetInfo(bytes, 0, bytes.length, from.capture.interfaces[from.capture.store.iface[first.row]].linkType);
    const where = names(points, list[0].points);
    out.push({
      capture: first.capture,
      finding: {
        kind: 'vanished',
        start: { sec: from.capture.store.sec(first.row), ns: from.capture.store.tsNs[first.row] },
        end: { sec: points[last.capture].capture.store.sec(last.row), ns: points[last.capture].capture.store.tsNs[last.row] },
        firstRow: first.row,
        frames: list.length,
        subject: points[c].capture.name,
        summary: `${list.length.toLocaleString('en-US')} packet${list.length === 1 ? '' : 's'} seen at ${where} never appear${list.length === 1 ? 's' : ''} at ${points[c].capture.name}; the first: "${words}" (frame ${first.row + 1} of ${from.capture.name})`,
        detail: { missingAt: points[c].capture.name, seenAt: where, packets: list.length },
      },
    });
  }
  return out;
}

function popcount(n: number): number {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
}

function names(points: PointCapture[], mask: number): string {
  return points
    .filter((_, i) => mask & (1 << i))
    .map((p) => p.capture.name)
    .join(' and ');
}
