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
import { FLOW_WORDS } from '../store/flow-table.ts';

export type ConversationKind = 'ether' | 'ip' | 'flow' | 'proto' | 'vlan';
export const CONVERSATION_KINDS: readonly ConversationKind[] = ['ether', 'ip', 'flow', 'proto', 'vlan'];

export interface Conversation {
  kind: ConversationKind;
  /** Identity across captures of a workspace. */
  key: string;
  /** Endpoint A and B (A sorts first); for `proto` and `vlan` only A. */
  a: string;
  b: string;
  /** `flow` only: the transport (TCP, UDP, ICMP, ...) and the VLAN tag stack, e.g. "956" or "100.200". */
  transport?: string;
  vlan?: string;
  packets: number;
  bytes: number;
  packetsAToB: number;
  packetsBToA: number;
  bytesAToB: number;
  bytesBToA: number;
  /** Exact times of the first and last packet. */
  firstSec: number;
  firstNs: number;
  lastSec: number;
  lastNs: number;
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

interface Endpoints {
  key: string;
  a: string;
  b: string;
  /** The flow runs from B to A. */
  reversed: boolean;
  transport?: string;
  vlan?: string;
  /** The expression for one tag depth, or null: no exact expression. */
  expression: string | null;
  /** The expression holds whatever the tags (MAC addresses sit before them). */
  anyDepth?: boolean;
}

/** Conversations of one kind, in no particular order (mergeConversations sorts). */
export function conversations(capture: Capture, totals: FlowTotals, kind: ConversationKind): Conversation[] {
  const { flows, store } = capture;
  const keys = flows.keys;
  const ethernetOnly = capture.interfaces.every((i) => i.linkType === 1);
  const byKey = new Map<string, Conversation & { depths: number; exact: boolean; clause: string | null; anyDepth: boolean }>();
  for (let id = 0; id < flows.count; id++) {
    const n = totals.packets[id];
    if (n === 0) continue;
    const e = endpoints(kind, keys, id * FLOW_WORDS, capture, ethernetOnly);
    if (!e) continue;
    let c = byKey.get(e.key);
    const first = totals.firstRow[id];
    const last = totals.lastRow[id];
    if (!c) {
      c = {
        kind, key: e.key, a: e.a, b: e.b, transport: e.transport, vlan: e.vlan,
        packets: 0, bytes: 0, packetsAToB: 0, packetsBToA: 0, bytesAToB: 0, bytesBToA: 0,
        firstSec: store.sec(first), firstNs: store.tsNs[first], lastSec: store.sec(last), lastNs: store.tsNs[last],
        filter: null, depths: 0, exact: true, clause: e.expression, anyDepth: e.anyDepth ?? false,
      };
      if (c.transport === undefined) delete c.transport;
      if (c.vlan === undefined) delete c.vlan;
      byKey.set(e.key, c);
    }
    c.packets += n;
    c.bytes += totals.bytes[id];
    if (e.reversed) {
      c.packetsBToA += n;
      c.bytesBToA += totals.bytes[id];
    } else {
      c.packetsAToB += n;
      c.bytesAToB += totals.bytes[id];
    }
    if (before(store.sec(first), store.tsNs[first], c.firstSec, c.firstNs)) [c.firstSec, c.firstNs] = [store.sec(first), store.tsNs[first]];
    if (before(c.lastSec, c.lastNs, store.sec(last), store.tsNs[last])) [c.lastSec, c.lastNs] = [store.sec(last), store.tsNs[last]];
    c.depths |= 1 << ((keys[id * FLOW_WORDS + 8] >> 4) & 0x0f);
    if (e.expression === null) c.exact = false;
  }
  const out: Conversation[] = [];
  for (const { depths, exact, clause, anyDepth, ...c } of byKey.values()) {
    c.filter = exact && clause !== null ? (anyDepth ? clause : atTagDepths(clause, depths)) : null;
    out.push(c);
  }
  return out;
}

/**
 * One table from several captures' tables: the same conversation in several captures is one
 * row (its filter kept only if it reads the same in each), largest first by `by`.
 */
export function mergeConversations(tables: Conversation[][], by: 'packets' | 'bytes'): Conversation[] {
  const merged = new Map<string, Conversation>();
  for (const table of tables) {
    for (const c of table) {
      const seen = merged.get(c.key);
      if (!seen) {
        merged.set(c.key, { ...c });
        continue;
      }
      seen.packets += c.packets;
      seen.bytes += c.bytes;
      seen.packetsAToB += c.packetsAToB;
      seen.packetsBToA += c.packetsBToA;
      seen.bytesAToB += c.bytesAToB;
      seen.bytesBToA += c.bytesBToA;
      if (before(c.firstSec, c.firstNs, seen.firstSec, seen.firstNs)) [seen.firstSec, seen.firstNs] = [c.firstSec, c.firstNs];
      if (before(seen.lastSec, seen.lastNs, c.lastSec, c.lastNs)) [seen.lastSec, seen.lastNs] = [c.lastSec, c.lastNs];
      if (seen.filter !== c.filter) seen.filter = null;
    }
  }
  const all = [...merged.values()];
  if (by === 'bytes') return all.sort((x, y) => y.bytes - x.bytes || y.packets - x.packets || (x.key < y.key ? -1 : 1));
  return all.sort((x, y) => y.packets - x.packets || y.bytes - x.bytes || (x.key < y.key ? -1 : 1));
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

function endpoints(kind: ConversationKind, keys: Uint32Array, at: number, capture: Capture, ethernetOnly: boolean): Endpoints | null {
  const k8 = keys[at + 8];
  const ipVersion = k8 & 0x0f;
  const tags = (k8 >> 4) & 0x0f;
  const etherType = keys[at + 4] & 0xffff;
  const ipProto = (keys[at + 4] >>> 16) & 0xff;
  const cls = keys[at + 4] >>> 24;
  // The IP header right after the tags, where `ip host` looks (not inside MPLS or SNAP).
  const plainIp = (etherType === 0x0800 || etherType === 0x86dd) && !(k8 & (1 << 9));
  switch (kind) {
    case 'ether': {
      if (!(k8 & (1 << 8))) return null;
      const src = macText(keys[at] >>> 16, ((keys[at] & 0xffff) << 16) | (keys[at + 1] >>> 16));
      const dst = macText(keys[at + 1] & 0xffff, keys[at + 2]);
      const clause = ethernetOnly ? pairClause('ether host', 'ether src', 'ether dst', src, dst) : null;
      return { ...ordered(src, dst), expression: clause, anyDepth: true };
    }
    case 'ip': {
      if (!ipVersion) return null;
      const [src, dst] = addressTexts(keys, at, ipVersion, capture);
      const q = ipVersion === 4 ? 'ip' : 'ip6';
      return { ...ordered(src, dst), expression: plainIp ? pairClause(`${q} host`, `${q} src`, `${q} dst`, src, dst) : null };
    }
    case 'flow': {
      if (!ipVersion) return null;
      const [src, dst] = addressTexts(keys, at, ipVersion, capture);
      const vlan = vlanText(keys, at, tags);
      const transport = transportName(ipProto, ipVersion);
      const q = ipVersion === 4 ? 'ip' : 'ip6';
      if (ipProto === 6 || ipProto === 17) {
        const sport = keys[at + 7] & 0xffff;
        const dport = keys[at + 7] >>> 16;
        const e = ordered(`${endpointText(src, sport, ipVersion)}`, `${endpointText(dst, dport, ipVersion)}`);
        const p = transport.toLowerCase();
        const one = (h1: string, p1: number, h2: string, p2: number) => `${q} src ${h1} and ${p} src port ${p1} and ${q} dst ${h2} and ${p} dst port ${p2}`;
        const clause = src === dst && sport === dport ? one(src, sport, dst, dport) : `(${one(src, sport, dst, dport)}) or (${one(dst, dport, src, sport)})`;
        // Ports 0 and 0: a later fragment, which no port test matches.
        const exact = plainIp && !(sport === 0 && dport === 0);
        return { ...e, key: `${vlan}|${transport}|${e.key}`, transport, vlan, expression: exact ? clause : null };
      }
      const e = ordered(src, dst);
      const proto = ipProto === 1 ? 'icmp' : ipProto === 58 ? 'icmp6' : `${q} proto ${ipProto}`;
      const clause = `${proto} and ${pairClause(`${q} host`, `${q} src`, `${q} dst`, src, dst)}`;
      return { ...e, key: `${vlan}|${transport}|${e.key}`, transport, vlan, expression: plainIp ? clause : null };
    }
    case 'proto': {
      const name = PROTOCOL_CLASS_NAMES[cls] ?? 'other';
      return { key: name, a: name, b: '', reversed: false, expression: CLASS_FILTERS[cls] ?? null };
    }
    case 'vlan': {
      // Only Ethernet frames carry tags tcpdump's `vlan` can see.
      if (tags === 0) return { key: 'untagged', a: 'untagged', b: '', reversed: false, expression: ethernetOnly ? 'not vlan' : null, anyDepth: true };
      const outer = keys[at + 3] & 0xffff;
      return { key: String(outer), a: String(outer), b: '', reversed: false, expression: ethernetOnly ? `vlan ${outer}` : null, anyDepth: true };
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

function ordered(x: string, y: string): { key: string; a: string; b: string; reversed: boolean } {
  const reversed = y < x;
  const [a, b] = reversed ? [y, x] : [x, y];
  return { key: `${a}|${b}`, a, b, reversed };
}

/** Both ends: `host A and host B`, or for a host talking to itself, `src A and dst A`. */
function pairClause(host: string, src: string, dst: string, x: string, y: string): string {
  return x === y ? `${src} ${x} and ${dst} ${y}` : `${host} ${x} and ${host} ${y}`;
}

function addressTexts(keys: Uint32Array, at: number, ipVersion: number, capture: Capture): [string, string] {
  if (ipVersion === 4) return [ipv4Text(keys[at + 5]), ipv4Text(keys[at + 6])];
  return [ipv6Text(capture.ipv6.bytesOf(keys[at + 5])), ipv6Text(capture.ipv6.bytesOf(keys[at + 6]))];
}

function endpointText(address: string, port: number, ipVersion: number): string {
  return ipVersion === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function vlanText(keys: Uint32Array, at: number, tags: number): string {
  if (tags === 0) return '';
  const outer = keys[at + 3] & 0xffff;
  const inner = keys[at + 3] >>> 16;
  return tags >= 2 && inner !== NO_VLAN ? `${outer}.${inner}` : String(outer);
}

function transportName(ipProto: number, ipVersion: number): string {
  switch (ipProto) {
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
      return `${ipVersion === 4 ? 'IP' : 'IPv6'} proto ${ipProto}`;
  }
}
