/**
 * Slow protocols (EtherType 0x8809) subtypes 1 and 2: LACP and the Marker protocol,
 * IEEE 802.1AX-2020 clause 6.4.2 (LACPDU) and 6.5.3 (Marker PDU),
 * https://standards.ieee.org/ieee/802.1AX/6768/ (formerly IEEE 802.3ad / 802.3 clause 43).
 *
 *   subtype version | actor TLV (1, 20) | partner TLV (2, 20) | collector TLV (3, 16) | terminator
 *   actor/partner:  type len sys_prio(2) system(6) key(2) port_prio(2) port(2) state(1) reserved(3)
 */
import { bitsLabel, hex, hexRun, macAt, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export const SLOW_LACP = 1;
export const SLOW_MARKER = 2;

/** The state byte's bits, low bit first (802.1AX 6.4.2.3 items m and u). */
export const LACP_STATE_BITS = ['activity', 'timeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired'] as const;
export type LacpStateBit = (typeof LACP_STATE_BITS)[number];
export type LacpStateFlags = Record<LacpStateBit, boolean>;

export interface LacpPort {
  /** Offset of the TLV (its type byte). */
  at: number;
  tlvType: number;
  tlvLength: number;
  systemPriority: number;
  system: string;
  key: number;
  portPriority: number;
  port: number;
  state: number;
  flags: LacpStateFlags;
}

export interface Lacp {
  at: number;
  subtype: 1;
  version: number;
  actor: LacpPort;
  partner: LacpPort;
  collectorAt: number;
  /** Tens of microseconds (802.1AX 6.4.2.3 item y). */
  collectorMaxDelay: number;
}

const LACP_BYTES = 2 + 20 + 20 + 4;

/** `start` is the slow-protocols subtype byte; null unless subtype 1 with everything up to the collector delay. */
export function decodeLacp(b: Uint8Array, start: number, end: number): Lacp | null {
  if (end - start < LACP_BYTES || b[start] !== SLOW_LACP) return null;
  return {
    at: start,
    subtype: 1,
    version: b[start + 1],
    actor: port(b, start + 2),
    partner: port(b, start + 22),
    collectorAt: start + 42,
    collectorMaxDelay: u16(b, start + 44),
  };
}

function port(b: Uint8Array, p: number): LacpPort {
  const state = b[p + 16];
  return {
    at: p,
    tlvType: b[p],
    tlvLength: b[p + 1],
    systemPriority: u16(b, p + 2),
    system: macAt(b, p + 4),
    key: u16(b, p + 10),
    portPriority: u16(b, p + 12),
    port: u16(b, p + 14),
    state,
    flags: stateFlags(state),
  };
}

export function stateFlags(state: number): LacpStateFlags {
  const flags = {} as LacpStateFlags;
  for (const [bit, name] of LACP_STATE_BITS.entries()) flags[name] = ((state >> bit) & 1) === 1;
  return flags;
}

/** "E****G*A": one letter per set bit, high bit first (Expired ... Activity), as Wireshark prints. */
export function lacpStateText(state: number): string {
  const letters = 'EFDCSGSA';
  let text = '';
  for (let i = 0; i < 8; i++) text += (state >> (7 - i)) & 1 ? letters[i] : '*';
  return text;
}

export interface Marker {
  at: number;
  subtype: 2;
  version: number;
  /** 1: Marker Information, 2: Marker Response. */
  tlvType: number;
  tlvLength: number;
  requesterPort: number;
  requesterSystem: string;
  requesterTransactionId: number;
}

export function decodeMarker(b: Uint8Array, start: number, end: number): Marker | null {
  if (end - start < 18 || b[start] !== SLOW_MARKER) return null;
  return {
    at: start,
    subtype: 2,
    version: b[start + 1],
    tlvType: b[start + 2],
    tlvLength: b[start + 3],
    requesterPort: u16(b, start + 4),
    requesterSystem: macAt(b, start + 6),
    requesterTransactionId: u32(b, start + 12),
  };
}

/** Wireshark's names for the state bits: [field name, text when set, text when clear]. */
export const LACP_STATE_TEXT: Readonly<Record<LacpStateBit, readonly [string, string, string]>> = {
  activity: ['LACP Activity', 'Active', 'Passive'],
  timeout: ['LACP Timeout', 'Short Timeout', 'Long Timeout'],
  aggregation: ['Aggregation', 'Aggregatable', 'Individual'],
  synchronization: ['Synchronization', 'In Sync', 'Out of Sync'],
  collecting: ['Collecting', 'Enabled', 'Disabled'],
  distributing: ['Distributing', 'Enabled', 'Disabled'],
  defaulted: ['Defaulted', 'Yes', 'No'],
  expired: ['Expired', 'Yes', 'No'],
};

export const SLOW_SUBTYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'LACP',
  2: 'Marker Protocol',
  3: 'Operations, Administration, and Maintenance (OAM)',
  10: 'Organization Specific Slow Protocol (OSSP)',
};

const TLV_TYPES: Readonly<Record<number, string>> = { 0: 'Terminator', 1: 'Actor Information', 2: 'Partner Information', 3: 'Collector Information' };

/** Every LACPDU field as Wireshark's tree shows it; `name(mac)` prints a MAC with its vendor. */
export function lacpTree(b: Uint8Array, lacp: Lacp, end: number, t: Tree, name: (at: number) => string): DetailNode {
  const p = lacp.at + 1;
  const tlv = (at: number) => [
    t.node(`TLV Type: ${TLV_TYPES[b[at]] ?? 'Unknown'} (${hex(b[at], 2)})`, at, 1),
    t.node(`TLV Length: ${hex(b[at + 1], 2)}`, at + 1, 1),
  ];
  const children = [
    t.node(`LACP Version: ${hex(lacp.version, 2)}`, p, 1),
    ...portTree(b, lacp.actor, 'Actor', t, name, tlv),
    ...portTree(b, lacp.partner, 'Partner', t, name, tlv),
    ...tlv(lacp.collectorAt),
    t.node(`Collector Max Delay: ${lacp.collectorMaxDelay}`, lacp.collectorAt + 2, 2),
  ];
  const reservedAt = lacp.collectorAt + 4;
  if (end - reservedAt >= 12) children.push(t.node(`Reserved: ${hexRun(b, reservedAt, 12)}`, reservedAt, 12));
  const terminatorAt = reservedAt + 12;
  if (end - terminatorAt >= 2) children.push(...tlv(terminatorAt));
  const padAt = terminatorAt + 2;
  if (end > padAt) children.push(t.node(`Pad: ${hexRun(b, padAt, Math.min(end, lacp.at + 110) - padAt)}`, padAt, Math.min(end, lacp.at + 110) - padAt));
  return t.node('Link Aggregation Control Protocol', p, Math.min(end, lacp.at + 110) - p, children);
}

function portTree(
  b: Uint8Array,
  port: LacpPort,
  side: 'Actor' | 'Partner',
  t: Tree,
  name: (at: number) => string,
  tlv: (at: number) => DetailNode[],
): DetailNode[] {
  const p = port.at;
  const systemLabel = side === 'Actor' ? 'Actor System ID' : 'Partner System';
  return [
    ...tlv(p),
    t.node(`${side} System Priority: ${port.systemPriority}`, p + 2, 2),
    t.node(`${systemLabel}: ${name(p + 4)} (${port.system})`, p + 4, 6),
    t.node(`${side} Key: ${port.key}`, p + 10, 2),
    t.node(`${side} Port Priority: ${port.portPriority}`, p + 12, 2),
    t.node(`${side} Port: ${port.port}`, p + 14, 2),
    t.node(stateSummary(side, port.state), p + 16, 1, stateBits(port.state, p + 16, t)),
    t.node(`[${side} State Flags: ${lacpStateText(port.state)}]`, p + 16, 1),
    t.node(`Reserved: ${hexRun(b, p + 17, 3)}`, p + 17, 3),
  ];
}

/** "Actor State: 0x85, LACP Activity, Aggregation, Expired": the names of the bits that are set. */
function stateSummary(side: string, state: number): string {
  const set = LACP_STATE_BITS.filter((_, bit) => (state >> bit) & 1).map((n) => LACP_STATE_TEXT[n][0]);
  return `${side} State: ${hex(state, 2)}${set.length ? `, ${set.join(', ')}` : ''}`;
}

/** ".... ...1 = LACP Activity: Active", one line per bit. */
function stateBits(state: number, at: number, t: Tree): DetailNode[] {
  return LACP_STATE_BITS.map((n, bit) => {
    const [field, on, off] = LACP_STATE_TEXT[n];
    return t.node(`${bitsLabel(state, 1 << bit, 8)}${field}: ${(state >> bit) & 1 ? on : off}`, at, 1);
  });
}

export function markerTree(marker: Marker, t: Tree, name: (at: number) => string): DetailNode {
  const p = marker.at;
  const tlvName = marker.tlvType === 1 ? 'Marker Information' : marker.tlvType === 2 ? 'Marker Response Information' : 'Unknown';
  return t.node('Marker Protocol', p + 1, 17, [
    t.node(`Version Number: ${hex(marker.version, 2)}`, p + 1, 1),
    t.node(`TLV Type: ${tlvName} (${hex(marker.tlvType, 2)})`, p + 2, 1),
    t.node(`TLV Length: ${hex(marker.tlvLength, 2)}`, p + 3, 1),
    t.node(`Requester Port: ${marker.requesterPort}`, p + 4, 2),
    t.node(`Requester System: ${name(p + 6)} (${marker.requesterSystem})`, p + 6, 6),
    t.node(`Requester Transaction ID: ${marker.requesterTransactionId}`, p + 12, 4),
  ]);
}
