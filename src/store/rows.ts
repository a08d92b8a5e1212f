/** Rows of the packet list, computed only for the rows asked for. */
import { ipv4Text, ipv6Text, macText } from '../decode/addresses.ts';
import { NO_VLAN } from '../decode/frame-fields.ts';
import { PROTOCOL_CLASS_NAMES } from '../decode/protocol-class.ts';
import type { Capture } from './capture.ts';
import { FLAG_MALFORMED_MASK } from './packet-store.ts';
import { isoTime } from './time-format.ts';

export interface PacketRow {
  frame: number;
  time: string;
  relSeconds: number;
  iface: number;
  vlan: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  capLen: number;
  malformed: boolean;
}

export function packetRow(capture: Capture, row: number): PacketRow {
  const { store, flows } = capture;
  const flow = store.flow[row];
  const w = (i: number) => flows.word(flow, i);
  const ipVersion = w(8) & 0x0f;
  const hasMac = (w(8) >> 8) & 1;
  const [source, destination] = ipVersion === 4 || (w(4) >>> 24) === 1 ? [ipv4Text(w(5)), ipv4Text(w(6))]
    : ipVersion === 6 ? [ipv6Text(capture.ipv6.bytesOf(w(5))), ipv6Text(capture.ipv6.bytesOf(w(6)))]
    : hasMac ? [macText(w(0) >>> 16, ((w(0) & 0xffff) << 16 | (w(1) >>> 16)) >>> 0), macText(w(1) & 0xffff, w(2))]
    : ['', ''];
  const outer = w(3) & 0xffff;
  const inner = w(3) >>> 16;
  return {
    frame: row + 1,
    time: isoTime(store.sec(row), store.tsNs[row]),
    relSeconds: store.relSeconds(row),
    iface: store.iface[row],
    vlan: outer === NO_VLAN ? '' : inner === NO_VLAN ? String(outer) : `${outer},${inner}`,
    source,
    destination,
    protocol: PROTOCOL_CLASS_NAMES[w(4) >>> 24] ?? 'other',
    length: store.origLen[row],
    capLen: store.capLen[row],
    malformed: (store.flags[row] & FLAG_MALFORMED_MASK) !== 0,
  };
}
