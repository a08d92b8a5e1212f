/**
 * Finds where a classic pcap record starts inside a window of bytes from the middle of a
 * file, so two threads can read the two halves. A start is accepted only when a chain of
 * record headers that follow from it all look right (lengths within the snap length,
 * fractions below one second, times near the file's first packet); the caller then checks
 * that the first half's last record ends exactly there, and reads sequentially if not.
 */
export interface PcapLayout {
  littleEndian: boolean;
  fracPerSec: number;
  maxRecordBytes: number;
  /** Seconds of the file's first packet: later records are expected within years of it. */
  firstSec: number;
}

const CHAIN = 16;
const YEAR_SEC = 366 * 86400;

export function findRecordStart(bytes: Uint8Array, layout: PcapLayout): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start + 16 <= bytes.length; start++) {
    if (chainHolds(view, start, layout)) return start;
  }
  return -1;
}

function chainHolds(view: DataView, start: number, layout: PcapLayout): boolean {
  const le = layout.littleEndian;
  let pos = start;
  for (let i = 0; i < CHAIN; i++) {
    if (pos + 16 > view.byteLength) return false;
    const sec = view.getUint32(pos, le);
    const frac = view.getUint32(pos + 4, le);
    const capLen = view.getUint32(pos + 8, le);
    const origLen = view.getUint32(pos + 12, le);
    if (frac >= layout.fracPerSec || capLen === 0 || capLen > layout.maxRecordBytes || origLen < capLen) return false;
    if (Math.abs(sec - layout.firstSec) > 10 * YEAR_SEC) return false;
    pos += 16 + capLen;
  }
  return true;
}
