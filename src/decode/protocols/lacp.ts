/**
 * Slow protocols (EtherType 0x8809) subtypes 1 and 2: LACP and the Marker protocol,
 * IEEE 802.1AX-2020 clause 6.4.2 (LACPDU) and 6.5.3 (Marker PDU),
 * https://standards.ieee.org/ieee/802.1AX/6768/ (formerly IEEE 802.3ad / 802.3 clause 43).
 *
 *   subtype version | actor TLV (1, 20) | partner TLV (2, 20) | collector TLV (3, 16) | terminator
 *   actor/partner:  type len sys_prio(2) system(6) key(2) port_prio(2) port(2) state(1) reserved(3)
 */
import { macAt, u16, u32 } from './ethernet.ts';

export const SLOW_LACP = 1;
export const SLOW_MARKER = 2;

/** The state byte's bits, low bit first (802.1AX 6.4.2.3 items m and u). */
export const LACP_STATE_BITS = [
  'activity', 'timeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired',
] as const;
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
  LACP_STATE_BITS.forEach((name, bit) => (flags[name] = ((state >> bit) & 1) === 1));
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
  1: 'LACP', 2: 'Marker Protocol', 3: 'Operations, Administration, and Maintenance (OAM)', 10: 'Organization Specific Slow Protocol (OSSP)',
};
