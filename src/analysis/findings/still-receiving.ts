/**
 * Proof that a host still receives while what it sends goes unanswered: during each of its
 * arp-unanswered windows, the frames that arrive from other hosts. Link-local slow-protocol
 * frames (LACP) are left out: they belong to the member link, not to the host's traffic.
 */
import { ipv4Text, macText } from '../../decode/addresses.ts';
import { packetInfo } from '../../decode/info.ts';
import { PROTOCOL_CLASS_NAMES, ProtocolClass } from '../../decode/protocol-class.ts';
import { dissect } from '../../decode/protocols/stack.ts';
import type { ByteSource } from '../../capture/byte-source.ts';
import type { Capture } from '../../store/capture.ts';
import { flowClass, hasMac, keyAt, macSrc } from '../../store/flow-key.ts';
import { lowerBound } from '../../store/time-search.ts';
import { before, type Finding, type Instant } from './finding.ts';

const SLOW = new Set<number>([ProtocolClass.Lacp, ProtocolClass.Marker, ProtocolClass.SlowOther]);

export async function stillReceiving(capture: Capture, source: ByteSource, unanswered: Finding[]): Promise<Finding[]> {
  // One window per troubled host: from its first unanswered request to its last.
  const windows = new Map<string, { from: Instant; to: Instant; target: string }>();
  for (const f of unanswered) {
    const mac = String(f.detail.senderMac);
    const w = windows.get(mac);
    if (!w) windows.set(mac, { from: f.start, to: f.end, target: String(f.detail.target) });
    else {
      if (before(f.start, w.from)) w.from = f.start;
      if (before(w.to, f.end)) w.to = f.end;
    }
  }
  const out: Finding[] = [];
  for (const [mac, w] of windows) {
    const found = othersIn(capture, mac, w.from, w.to);
    if (!found) continue;
    const { store } = capture;
    const bytes = await source.read(store.offset[found.firstRow], store.capLen[found.firstRow]);
    const linkType = capture.interfaces[store.iface[found.firstRow]].linkType;
    const s = dissect(bytes, 0, bytes.length, linkType);
    const from = s.ip4 ? ipv4Text(s.ip4.src) : found.firstSender;
    const what = `${PROTOCOL_CLASS_NAMES[found.firstClass]} ${packetInfo(bytes, 0, bytes.length, linkType)}`;
    const start = { sec: store.sec(found.firstRow), ns: store.tsNs[found.firstRow] };
    out.push({
      kind: 'still-receiving',
      start,
      end: w.to,
      firstRow: found.firstRow,
      frames: found.count,
      subject: mac,
      summary: `while ${mac}'s ARP for ${w.target} goes unanswered, other hosts' frames still arrive (${found.count.toLocaleString('en-US')} from ${found.senders} host${found.senders === 1 ? '' : 's'}), first ${what} from ${from}: it receives, but what it sends is not answered`,
      detail: { host: mac, firstFrom: from, firstFrame: what, frames: found.count, senders: found.senders },
    });
  }
  return out;
}

/** The first frame from another sender in the window, how many, and from how many senders. */
function othersIn(
  capture: Capture,
  mac: string,
  from: Instant,
  to: Instant,
): { firstRow: number; firstClass: number; firstSender: string; count: number; senders: number } | null {
  const { store, flows } = capture;
  const keys = flows.keys;
  const host = parseInt(mac.replaceAll(':', ''), 16);
  // Source MACs as 48-bit numbers (exact in a double): no text per flow.
  const sender = new Float64Array(flows.count).fill(-1);
  for (let id = 0; id < flows.count; id++) {
    const at = keyAt(id);
    if (!hasMac(keys, at) || SLOW.has(flowClass(keys, at))) continue;
    const src = macSrc(keys, at);
    if (src !== host) sender[id] = src;
  }
  let first = -1;
  let count = 0;
  const senders = new Set<number>();
  // Window bounds as seconds since the capture's base: a comparison, not a printed time.
  const fromRel = from.sec - store.baseSec + from.ns / 1e9;
  const toRel = to.sec - store.baseSec + to.ns / 1e9;
  for (let k = lowerBound(store, fromRel); k < store.length; k++) {
    const r = store.rowAt(k);
    if (store.relSeconds(r) > toRel) break;
    const s = sender[store.flow[r]];
    if (s < 0) continue;
    if (first < 0) first = r;
    count++;
    senders.add(s);
  }
  if (first < 0) return null;
  const f = store.flow[first];
  const src = sender[f];
  return {
    firstRow: first,
    firstClass: flowClass(keys, keyAt(f)),
    firstSender: macText(Math.floor(src / 0x100000000), src % 0x100000000),
    count,
    senders: senders.size,
  };
}
