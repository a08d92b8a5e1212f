/**
 * Top talkers: packets and bytes per conversation, from the columns and the flow dictionary.
 * One pass over the packets sums per flow (a flow is one direction of one key); then the
 * 600k flows, not the 10 M packets, are grouped into conversations of the kind asked for.
 * Each conversation carries the tcpdump expression that selects exactly its packets, so
 * "Only" and "Exclude" write a filter the user can read and edit.
 */
import { ipv4Text, ipv6Text, macText } from '../decode/addresses.ts';
import { NO_VLAN } from '../decode/frame-fields.ts';
import { PROTOCOL_CLASS_NAMES, ProtocolClass } from '../decode/protocol-class.ts';
import type { Capture } from '../store/capture.ts';
import {
  dstPort,
  etherType,
  flowClass,
  ipDst,
  hasMac,
  ipProto,
  ipSrc,
  ipVersion,
  keyAt,
  macDstHi,
  macDstLo,
  macSrcHi,
  macSrcLo,
  snap,
  srcPort,
  vlanCount,
  vlanIds,
  vlanInner,
  vlanOuter,
} from '../store/flow-key.ts';
import { TupleIndex } from './tuple-index.ts';

export type ConversationKind = 'ether' | 'ip' | 'flow' | 'proto' | 'vlan';
export const CONVERSATION_KINDS: readonly ConversationKind[] = ['ether', 'ip', 'flow', 'proto', 'vlan'];

/** Packets and bytes of a conversation, each way, and its exact first and last times. */
export interface ConversationFigures {
  packets: number;
  bytes: number;
  packetsAToB: number;
  packetsBToA: number;
  bytesAToB: number;
  bytesBToA: number;
  firstSec: number;
  firstNs: number;
  lastSec: number;
  lastNs: number;
}

export interface Conversation extends ConversationFigures {
  kind: ConversationKind;
  /** Identity across captures of a workspace. */
  key: string;
  /** Endpoint A and B (A sorts first); for `proto` and `vlan` only A. */
  a: string;
  b: string;
  /** `flow` only: the transport (TCP, UDP, ICMP, ...) and the VLAN tag stack, e.g. "956" or "100.200". */
  transport?: string;
  vlan?: string;
  /** The tcpdump expression for exactly these packets, or null where tcpdump has no exact one. */
  filter: string | null;
}

/** Packets, bytes on the wire and first/last row (in time order) per flow id. */
export interface FlowTotals {
  packets: Float64Array;
  bytes: Float64Array;
  firstRow: Int32Array;
  lastRow: Int32Array;
}

export function flowTotals(capture: Capture): FlowTotals {
  const { store, flows } = capture;
  const packets = new Float64Array(flows.count);
  const bytes = new Float64Array(flows.count);
  const firstRow = new Int32Array(flows.count).fill(-1);
  const lastRow = new Int32Array(flows.count);
  const { flow, origLen, order } = store;
  for (let k = 0; k < store.length; k++) {
    const r = order ? order[k] : k;
    const id = flow[r];
    packets[id]++;
    bytes[id] += origLen[r];
    if (firstRow[id] < 0) firstRow[id] = r;
    lastRow[id] = r;
  }
  return { packets, bytes, firstRow, lastRow };
}

/** What a conversation shows, built once, from its first flow. */
interface Description {
  a: string;
  b: string;
  transport?: string;
  vlan?: string;
  /** The expression at one tag depth, or null where tcpdump has no exact one. */
  clause: string | null;
  /** The clause holds whatever the tags (MAC addresses and tags sit before them). */
  anyDepth: boolean;
}

/**
 * A conversation being counted: numbers only. Its text (addresses, expression) is written
 * for the rows shown, not for each of 300k 5-tuples.
 */
export interface Tally extends ConversationFigures {
  capture: Capture;
  /** A flow of it, the one its text is written from, and whether that flow runs B to A. */
  flow: number;
  reversed: boolean;
  /** Bit d: seen behind d VLAN tags. */
  depths: number;
  exact: boolean;
}

/** The tallies of one kind in one capture, in no particular order (topConversations sorts). */
export function conversations(capture: Capture, totals: FlowTotals, kind: ConversationKind): Tally[] {
  const { flows, store } = capture;
  const keys = flows.keys;
  const ethernetOnly = capture.interfaces.every((i) => i.linkType === 1);
  const index = new TupleIndex(TUPLE_WORDS, 4096);
  const tallies: Tally[] = [];
  const tuple = new Uint32Array(TUPLE_WORDS);
  for (let id = 0; id < flows.count; id++) {
    const n = totals.packets[id];
    if (n === 0) continue;
    const at = keyAt(id);
    const g = groupOf(kind, keys, at, ethernetOnly, tuple);
    if (!(g & GROUPED)) continue;
    const reversed = (g & REVERSED) !== 0;
    const bytes = totals.bytes[id];
    const first = totals.firstRow[id];
    const last = totals.lastRow[id];
    const firstSec = store.sec(first);
    const lastSec = store.sec(last);
    const group = index.id(tuple);
    let c = tallies[group];
    if (!c) {
      c = tallies[group] = {
        capture,
        flow: id,
        reversed,
        packets: 0,
        bytes: 0,
        packetsAToB: 0,
        packetsBToA: 0,
        bytesAToB: 0,
        bytesBToA: 0,
        firstSec,
        firstNs: store.tsNs[first],
        lastSec,
        lastNs: store.tsNs[last],
        depths: 0,
        exact: true,
      };
    }
    c.packets += n;
    c.bytes += bytes;
    if (reversed) {
      c.packetsBToA += n;
      c.bytesBToA += bytes;
    } else {
      c.packetsAToB += n;
      c.bytesAToB += bytes;
    }
    if (before(firstSec, store.tsNs[first], c.firstSec, c.firstNs)) [c.firstSec, c.firstNs] = [firstSec, store.tsNs[first]];
    if (before(c.lastSec, c.lastNs, lastSec, store.tsNs[last])) [c.lastSec, c.lastNs] = [lastSec, store.tsNs[last]];
    c.depths |= 1 << vlanCount(keys, at);
    c.exact &&= (g & EXACT) !== 0;
  }
  return tallies;
}

/**
 * The largest conversations of several captures' tallies by `by`, as rows with their text:
 * the same conversation in several captures is one row.
 */
export function topConversations(
  kind: ConversationKind,
  tallies: Tally[][],
  by: 'packets' | 'bytes',
  limit = Infinity,
): { rows: Conversation[]; count: number } {
  // One capture: its tallies are the rows. Several: the same conversation (by its text) is one row.
  let all: Tally[];
  if (tallies.length === 1) all = tallies[0];
  else {
    const merged = new Map<string, { tally: Tally; a: string }>();
    for (const list of tallies) {
      for (const t of list) {
        const d = describeTally(kind, t);
        const key = `${d.vlan ?? ''}|${d.transport ?? ''}|${d.a < d.b ? `${d.a}|${d.b}` : `${d.b}|${d.a}`}`;
        const seen = merged.get(key);
        if (seen) addInto(seen.tally, t, seen.a !== d.a);
        else merged.set(key, { tally: { ...t }, a: d.a });
      }
    }
    all = [...merged.values()].map((m) => m.tally);
  }
  if (by === 'bytes') all.sort((x, y) => y.bytes - x.bytes || y.packets - x.packets || x.flow - y.flow);
  else all.sort((x, y) => y.packets - x.packets || y.bytes - x.bytes || x.flow - y.flow);
  return { rows: all.slice(0, limit).map((t) => row(kind, t)), count: all.length };
}

/** `flipped`: t's A is the row's B. */
function addInto(into: Tally, t: Tally, flipped: boolean): void {
  into.packets += t.packets;
  into.bytes += t.bytes;
  into.packetsAToB += flipped ? t.packetsBToA : t.packetsAToB;
  into.packetsBToA += flipped ? t.packetsAToB : t.packetsBToA;
  into.bytesAToB += flipped ? t.bytesBToA : t.bytesAToB;
  into.bytesBToA += flipped ? t.bytesAToB : t.bytesBToA;
  if (before(t.firstSec, t.firstNs, into.firstSec, into.firstNs)) [into.firstSec, into.firstNs] = [t.firstSec, t.firstNs];
  if (before(into.lastSec, into.lastNs, t.lastSec, t.lastNs)) [into.lastSec, into.lastNs] = [t.lastSec, t.lastNs];
  into.depths |= t.depths;
  into.exact &&= t.exact;
}

function describeTally(kind: ConversationKind, t: Tally): Description {
  return describe(
    kind,
    t.capture.flows.keys,
    keyAt(t.flow),
    t.reversed,
    t.capture,
    t.capture.interfaces.every((i) => i.linkType === 1),
  );
}

function row(kind: ConversationKind, t: Tally): Conversation {
  const d = describeTally(kind, t);
  const filter = t.exact && d.clause !== null ? (d.anyDepth ? d.clause : atTagDepths(d.clause, t.depths)) : null;
  return {
    kind,
    key: `${kind}|${d.vlan ?? ''}|${d.transport ?? ''}|${d.a}|${d.b}`,
    a: d.a,
    b: d.b,
    ...(d.transport === undefined ? {} : { transport: d.transport }),
    ...(d.vlan === undefined ? {} : { vlan: d.vlan }),
    packets: t.packets,
    bytes: t.bytes,
    packetsAToB: t.packetsAToB,
    packetsBToA: t.packetsBToA,
    bytesAToB: t.bytesAToB,
    bytesBToA: t.bytesBToA,
    firstSec: t.firstSec,
    firstNs: t.firstNs,
    lastSec: t.lastSec,
    lastNs: t.lastNs,
    filter,
  };
}

function before(sa: number, na: number, sb: number, nb: number): boolean {
  return sa < sb || (sa === sb && na < nb);
}

/**
 * One clause per tag depth the conversation was seen at, in increasing depth: tcpdump's
 * `vlan` moves every later test one tag in, so each alternative adds only the tags the
 * previous ones did not, e.g. depths 0 and 1: `X or (vlan and X)`.
 */
export function atTagDepths(clause: string, depths: number): string {
  const parts: string[] = [];
  const inner = /\bor\b/.test(clause) ? `(${clause})` : clause;
  let depth = 0;
  for (let d = 0; d < 16; d++) {
    if (!(depths & (1 << d))) continue;
    const tags = Array.from({ length: d - depth }, () => 'vlan and ').join('');
    parts.push(tags ? `(${tags}${inner})` : `(${clause})`);
    depth = d;
  }
  return parts.length === 1 ? parts[0].slice(1, -1) : parts.join(' or ');
}

const TUPLE_WORDS = 6;
const GROUPED = 1;
const REVERSED = 2;
const EXACT = 4;

/**
 * Writes the flow's conversation as numbers into `tuple` (its two ends in a fixed order)
 * and returns GROUPED | REVERSED (the flow runs B to A) | EXACT (tcpdump can select it by
 * the conversation's expression), or 0 when the flow has no conversation of this kind.
 */
function groupOf(kind: ConversationKind, keys: Uint32Array, at: number, ethernetOnly: boolean, tuple: Uint32Array): number {
  tuple.fill(0);
  // Each kind reads only the fields it groups by: this runs for each of 600k flows.
  switch (kind) {
    case 'ether': {
      if (!hasMac(keys, at)) return 0;
      const sHi = macSrcHi(keys, at);
      const sLo = macSrcLo(keys, at);
      const dHi = macDstHi(keys, at);
      const dLo = macDstLo(keys, at);
      const reversed = dHi < sHi || (dHi === sHi && dLo < sLo);
      tuple.set(reversed ? [dHi, dLo, sHi, sLo] : [sHi, sLo, dHi, dLo]);
      return GROUPED | (reversed ? REVERSED : 0) | (ethernetOnly ? EXACT : 0);
    }
    case 'ip':
    case 'flow': {
      const version = ipVersion(keys, at);
      if (!version) return 0;
      const tags = kind === 'flow' ? vlanCount(keys, at) : 0;
      const proto = ipProto(keys, at);
      const ports = kind === 'flow' && (proto === 6 || proto === 17);
      const sport = ports ? srcPort(keys, at) : 0;
      const dport = ports ? dstPort(keys, at) : 0;
      const src = ipSrc(keys, at);
      const dst = ipDst(keys, at);
      const reversed = dst < src || (dst === src && dport < sport);
      tuple[0] = kind === 'ip' ? version : version | (proto << 8) | (tags << 16);
      tuple[1] = tags ? vlanIds(keys, at) : 0;
      tuple.set(reversed ? [dst, dport, src, sport] : [src, sport, dst, dport], 2);
      // The IP header right after the tags, where `ip host` looks (not inside MPLS or SNAP).
      const type = etherType(keys, at);
      const plainIp = (type === 0x0800 || type === 0x86dd) && !snap(keys, at);
      // Ports 0 and 0: a later fragment, which no port test matches.
      const exact = plainIp && !(ports && sport === 0 && dport === 0);
      return GROUPED | (reversed ? REVERSED : 0) | (exact ? EXACT : 0);
    }
    case 'proto':
      tuple[0] = flowClass(keys, at);
      return GROUPED | EXACT;
    case 'vlan':
      tuple[0] = vlanCount(keys, at) ? vlanOuter(keys, at) : 0x10000;
      // Only Ethernet frames carry tags tcpdump's `vlan` can see.
      return GROUPED | (ethernetOnly ? EXACT : 0);
  }
}

function describe(kind: ConversationKind, keys: Uint32Array, at: number, reversed: boolean, capture: Capture, ethernetOnly: boolean): Description {
  const version = ipVersion(keys, at);
  const tags = vlanCount(keys, at);
  const proto = ipProto(keys, at);
  const swap = (x: string, y: string): [string, string] => (reversed ? [y, x] : [x, y]);
  switch (kind) {
    case 'ether': {
      const [a, b] = swap(macText(macSrcHi(keys, at), macSrcLo(keys, at)), macText(macDstHi(keys, at), macDstLo(keys, at)));
      return { a, b, clause: ethernetOnly ? pairClause('ether host', 'ether src', 'ether dst', a, b) : null, anyDepth: true };
    }
    case 'ip': {
      const [a, b] = swap(...addressTexts(keys, at, version, capture));
      const q = version === 4 ? 'ip' : 'ip6';
      return { a, b, clause: pairClause(`${q} host`, `${q} src`, `${q} dst`, a, b), anyDepth: false };
    }
    case 'flow': {
      const [src, dst] = addressTexts(keys, at, version, capture);
      const vlan = vlanText(keys, at, tags);
      const transport = transportName(proto, version);
      const q = version === 4 ? 'ip' : 'ip6';
      if (proto === 6 || proto === 17) {
        const sport = srcPort(keys, at);
        const dport = dstPort(keys, at);
        const [a, b] = swap(endpointText(src, sport, version), endpointText(dst, dport, version));
        const p = transport.toLowerCase();
        const one = (h1: string, p1: number, h2: string, p2: number) => `${q} src ${h1} and ${p} src port ${p1} and ${q} dst ${h2} and ${p} dst port ${p2}`;
        const clause = src === dst && sport === dport ? one(src, sport, dst, dport) : `(${one(src, sport, dst, dport)}) or (${one(dst, dport, src, sport)})`;
        return { a, b, transport, vlan, clause, anyDepth: false };
      }
      const [a, b] = swap(src, dst);
      const test = proto === 1 ? 'icmp' : proto === 58 ? 'icmp6' : `${q} proto ${proto}`;
      return { a, b, transport, vlan, clause: `${test} and ${pairClause(`${q} host`, `${q} src`, `${q} dst`, a, b)}`, anyDepth: false };
    }
    case 'proto': {
      const cls = flowClass(keys, at);
      const name = PROTOCOL_CLASS_NAMES[cls] ?? 'other';
      return { a: name, b: '', clause: CLASS_FILTERS[cls] ?? null, anyDepth: false };
    }
    case 'vlan': {
      const name = tags ? String(vlanOuter(keys, at)) : 'untagged';
      return { a: name, b: '', clause: tags ? `vlan ${name}` : 'not vlan', anyDepth: true };
    }
  }
}

/** Exact class expressions where the class is what tcpdump's protocol name means. */
const CLASS_FILTERS: Partial<Record<number, string>> = {
  [ProtocolClass.Arp]: 'arp',
  [ProtocolClass.Rarp]: 'rarp',
  [ProtocolClass.Icmp]: 'icmp',
  [ProtocolClass.Icmpv6]: 'icmp6',
  [ProtocolClass.Igmp]: 'igmp',
  [ProtocolClass.Vrrp]: 'vrrp or ip6 proto 112',
  [ProtocolClass.Lldp]: 'ether proto 0x88cc',
};

/** Both ends: `host A and host B`, or for a host talking to itself, `src A and dst A`. */
function pairClause(host: string, src: string, dst: string, x: string, y: string): string {
  return x === y ? `${src} ${x} and ${dst} ${y}` : `${host} ${x} and ${host} ${y}`;
}

function addressTexts(keys: Uint32Array, at: number, version: number, capture: Capture): [string, string] {
  if (version === 4) return [ipv4Text(ipSrc(keys, at)), ipv4Text(ipDst(keys, at))];
  return [ipv6Text(capture.ipv6.bytesOf(ipSrc(keys, at))), ipv6Text(capture.ipv6.bytesOf(ipDst(keys, at)))];
}

function endpointText(address: string, port: number, version: number): string {
  return version === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function vlanText(keys: Uint32Array, at: number, tags: number): string {
  if (tags === 0) return '';
  const outer = vlanOuter(keys, at);
  const inner = vlanInner(keys, at);
  return tags >= 2 && inner !== NO_VLAN ? `${outer}.${inner}` : String(outer);
}

function transportName(proto: number, version: number): string {
  switch (proto) {
    case 6:
      return 'TCP';
    case 17:
      return 'UDP';
    case 1:
      return 'ICMP';
    case 58:
      return 'ICMPv6';
    case 132:
      return 'SCTP';
    case 112:
      return 'VRRP';
    case 2:
      return 'IGMP';
    case 47:
      return 'GRE';
    default:
      return `${version === 4 ? 'IP' : 'IPv6'} proto ${proto}`;
  }
}
