/** The `stats` figures of one or several captures, computed from the columns. */
import { ProtocolClass } from '../decode/protocol-class.ts';
import type { Capture, CaptureWarning } from './capture.ts';
import { NO_VLAN } from '../decode/frame-fields.ts';
import { flowClass, ipProto, ipVersion, keyAt, vlanOuter } from './flow-key.ts';
import { isoTime } from './time-format.ts';

export interface ProtocolCounts {
  vlan: number;
  arp: number;
  ipv4: number;
  ipv6: number;
  tcp: number;
  udp: number;
  icmp: number;
  lacp: number;
  hsrp: number;
  vrrp: number;
}

export interface FileStats {
  name: string;
  format: string;
  linkTypes: string[];
  packets: number;
  warnings: string[];
}

export interface Stats {
  files: FileStats[];
  packets: number;
  first: string | null;
  last: string | null;
  protocols: ProtocolCounts;
  storeBytes: number;
  bytesPerPacket: number;
  ingestMs: number;
}

export function emptyProtocolCounts(): ProtocolCounts {
  return { vlan: 0, arp: 0, ipv4: 0, ipv6: 0, tcp: 0, udp: 0, icmp: 0, lacp: 0, hsrp: 0, vrrp: 0 };
}

/** Counts frames per class: packets per flow first (one pass over a column), then flows. */
export function protocolCounts(capture: Capture, into: ProtocolCounts = emptyProtocolCounts()): ProtocolCounts {
  const { store, flows } = capture;
  const keys = flows.keys;
  const perFlow = new Float64Array(flows.count);
  for (let i = 0; i < store.length; i++) perFlow[store.flow[i]]++;
  for (let id = 0; id < flows.count; id++) {
    const n = perFlow[id];
    if (n === 0) continue;
    const at = keyAt(id);
    const proto = ipProto(keys, at);
    const cls = flowClass(keys, at);
    const version = ipVersion(keys, at);
    if (vlanOuter(keys, at) !== NO_VLAN) into.vlan += n;
    if (cls === ProtocolClass.Arp) into.arp += n;
    if (version === 4) into.ipv4 += n;
    if (version === 6) into.ipv6 += n;
    if (version && proto === 6) into.tcp += n;
    if (version && proto === 17) into.udp += n;
    if (version === 4 && proto === 1) into.icmp += n;
    if (cls === ProtocolClass.Lacp) into.lacp += n;
    if (cls === ProtocolClass.Hsrp) into.hsrp += n;
    if (cls === ProtocolClass.Vrrp) into.vrrp += n;
  }
  return into;
}

/** One capture's figures, plain data: it can cross threads and merge with others. */
export interface CaptureSummary {
  name: string;
  format: string;
  linkTypes: string[];
  packets: number;
  protocols: ProtocolCounts;
  /** [seconds, ns] of the earliest and latest packet. */
  first: [number, number] | null;
  last: [number, number] | null;
  storeBytes: number;
  ingestMs: number;
  warnings: CaptureWarning[];
}

export function captureSummary(capture: Capture, format: string, ingestMs: number): CaptureSummary {
  const s = capture.store;
  const a = s.rowAt(0);
  const z = s.rowAt(s.length - 1);
  return {
    name: capture.name,
    format,
    linkTypes: capture.linkTypeNames,
    packets: s.length,
    protocols: protocolCounts(capture),
    first: s.length ? [s.sec(a), s.tsNs[a]] : null,
    last: s.length ? [s.sec(z), s.tsNs[z]] : null,
    storeBytes: capture.storeBytes,
    ingestMs,
    warnings: capture.warnings,
  };
}

export function summarize(parts: CaptureSummary[]): Stats {
  const protocols = emptyProtocolCounts();
  let first: [number, number] | null = null;
  let last: [number, number] | null = null;
  let packets = 0;
  let storeBytes = 0;
  let ingestMs = 0;
  for (const part of parts) {
    for (const key of Object.keys(protocols) as (keyof ProtocolCounts)[]) protocols[key] += part.protocols[key];
    first = earliest(first, part.first);
    last = latest(last, part.last);
    packets += part.packets;
    storeBytes += part.storeBytes;
    ingestMs += part.ingestMs;
  }
  return {
    files: parts.map((p) => ({ name: p.name, format: p.format, linkTypes: p.linkTypes, packets: p.packets, warnings: p.warnings.map(warningText) })),
    packets,
    first: first && isoTime(first[0], first[1]),
    last: last && isoTime(last[0], last[1]),
    protocols,
    storeBytes,
    bytesPerPacket: packets ? Math.round((storeBytes / packets) * 10) / 10 : 0,
    ingestMs: Math.round(ingestMs * 10) / 10,
  };
}

export function warningText(w: CaptureWarning): string {
  return w.offsetBytes === undefined || w.message.includes('byte offset') ? w.message : `${w.message} (at byte offset ${w.offsetBytes})`;
}

function earliest(a: [number, number] | null, b: [number, number] | null): [number, number] | null {
  return !a ? b : !b ? a : before(b, a) ? b : a;
}

function latest(a: [number, number] | null, b: [number, number] | null): [number, number] | null {
  return !a ? b : !b ? a : before(a, b) ? b : a;
}

function before(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
