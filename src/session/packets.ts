/**
 * A packet's bytes, read again from its file by offset, and the selected packet as the page
 * shows it: bytes, details, title and seen-at from one read.
 */
import { packetDetails } from '../decode/details.ts';
import type { CaptureSet, Entry } from './capture-set.ts';
import type { SelectOptions, SelectTarget, Selection } from './contract.ts';
import type { Placement } from './placement.ts';
import { linkTypeOf, seenAt } from './seen-at.ts';
import type { View } from '../store/view.ts';

/**
 * The details tree and the hex pane get at most this much of a packet at a time: more than
 * any network packet (GRO and BIG TCP records reach a few hundred KB), far less than the
 * 128-256 MiB records libpcap allows for D-Bus or USB captures.
 */
export const PACKET_HEAD_BYTES = 1024 * 1024;

/** The captured bytes of one packet (or of a part of it), read again from the file by offset. */
export async function packetBytes(entry: Entry, row: number, fromByte = 0, lengthBytes = Infinity): Promise<Uint8Array> {
  const { store } = entry.capture;
  if (row < 0 || row >= store.length) throw new RangeError(`no packet ${row + 1}`);
  const from = Math.max(0, Math.min(fromByte, store.capLen[row]));
  const length = Math.min(lengthBytes, store.capLen[row] - from);
  return (await entry.source.read(store.offset[row] + from, length)).slice();
}

/** The list row a target names, and the position it shows; null when no row shows it or one after it. */
function resolve(target: SelectTarget, view: View, placement: Placement<Entry>): { index: number; position: number } | null {
  let index: number;
  if (typeof target === 'number') index = target;
  else {
    const position = 'position' in target ? target.position : placement.positions()(target.capture, target.row);
    if (position < 0) return null;
    index = view.indexOf(position);
  }
  if (!(index >= 0 && index < view.length)) return null;
  return { index, position: view.positionAt(index) };
}

export async function select(
  captures: CaptureSet,
  placement: Placement<Entry>,
  view: View,
  target: SelectTarget,
  options: SelectOptions = {},
): Promise<Selection | null> {
  const at = resolve(target, view, placement);
  if (!at) return null;
  const { position } = at;
  const capture = placement.captureAt(position);
  const row = placement.rowAt(position);
  const entry = captures.get(capture);
  const { store } = entry.capture;
  const capLen = store.capLen[row];
  const origLen = store.origLen[row];
  const linkType = linkTypeOf(captures, capture, row);
  const bytes = await packetBytes(entry, row, 0, PACKET_HEAD_BYTES);
  // Seen-at compares whole packets: a record beyond the head is read whole for it (rare).
  const frame = bytes.length < capLen && captures.count > 1 ? await packetBytes(entry, row) : bytes;
  const part = bytes.length < capLen ? ` (the first ${bytes.length.toLocaleString('en-US')} decoded)` : '';
  return {
    ...at,
    capture,
    frame: row + 1,
    timeSec: placement.time(position),
    time: placement.instantOf(capture, row),
    linkType,
    bytes,
    capLen,
    origLen,
    details: packetDetails(bytes, 0, bytes.length, linkType),
    title: `Frame ${row + 1}: ${capLen.toLocaleString('en-US')} bytes captured${part}, ${origLen.toLocaleString('en-US')} on the wire`,
    seenAt: await seenAt(captures, placement, position, frame, options.ignoreAddresses ?? false),
  };
}
