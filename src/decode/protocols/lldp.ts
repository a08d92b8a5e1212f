/**
 * LLDP, EtherType 0x88cc: IEEE 802.1AB-2016 clause 8
 * (https://standards.ieee.org/ieee/802.1AB/6047/). Each TLV: type (7 bits) | length (9 bits) | value.
 */
import { ipv4Text } from '../addresses.ts';
import { macAt, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export interface LldpTlv {
  type: number;
  at: number;
  /** Value length (the TLV is two bytes longer). */
  length: number;
}

export interface Lldp {
  at: number;
  tlvs: LldpTlv[];
  chassis: string | null;
  port: string | null;
  ttl: number;
  systemName: string | null;
  systemDescription: string | null;
}

export function decodeLldp(b: Uint8Array, start: number, end: number): Lldp | null {
  if (end - start < 2) return null;
  const out: Lldp = { at: start, tlvs: [], chassis: null, port: null, ttl: -1, systemName: null, systemDescription: null };
  for (let p = start; end - p >= 2; ) {
    const header = u16(b, p);
    const type = header >> 9;
    const length = header & 0x1ff;
    if (p + 2 + length > end) break;
    out.tlvs.push({ type, at: p, length });
    const v = p + 2;
    if (type === 0) break;
    if (type === 1 && length >= 1) out.chassis = idText(b, v, length, CHASSIS_ABBREV);
    else if (type === 2 && length >= 1) out.port = idText(b, v, length, PORT_ABBREV);
    else if (type === 3 && length >= 2) out.ttl = u16(b, v);
    else if (type === 5) out.systemName = escaped(b, v, v + length);
    else if (type === 6) out.systemDescription = escaped(b, v, v + length);
    p = v + length;
  }
  return out;
}

const CHASSIS_ABBREV: Readonly<Record<number, string>> = { 1: 'CC', 2: 'IA', 3: 'PC', 4: 'MA', 5: 'NA', 6: 'IN', 7: 'LA' };
const PORT_ABBREV: Readonly<Record<number, string>> = { 1: 'IA', 2: 'PC', 3: 'MA', 4: 'NA', 5: 'IN', 6: 'AC', 7: 'LA' };

/** "MA/00:19:2f:a7:b2:8d": the subtype's abbreviation, then the id as its subtype reads. */
function idText(b: Uint8Array, v: number, length: number, abbrev: Readonly<Record<number, string>>): string {
  const subtype = b[v];
  const isMac = abbrev === CHASSIS_ABBREV ? subtype === 4 : subtype === 3;
  const isNet = abbrev === CHASSIS_ABBREV ? subtype === 5 : subtype === 4;
  let id: string;
  if (isMac && length === 7) id = macAt(b, v + 1);
  else if (isNet && length === 6 && b[v + 1] === 1) id = ipv4Text(u32(b, v + 2));
  else id = escaped(b, v + 1, v + length);
  return `${abbrev[subtype] ?? 'Unknown'}/${id}`;
}

/** Text with control characters written as C escapes, as Wireshark's format_text does. */
export function escaped(b: Uint8Array, p: number, end: number): string {
  let text = '';
  for (; p < end; p++) {
    const c = b[p];
    if (c >= 0x20 && c < 0x7f && c !== 0x5c) text += String.fromCharCode(c);
    else if (c === 0x5c) text += '\\\\';
    else if (c === 0x0a) text += '\\n';
    else if (c === 0x0d) text += '\\r';
    else if (c === 0x09) text += '\\t';
    else text += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return text;
}

/** Wireshark's Info: "MA/00:19:2f:a7:b2:8d IA/Uplink to S1 120 SysN=S2.cisco.com SysD=... ". */
export function lldpInfo(lldp: Lldp): string {
  let text = '';
  if (lldp.chassis !== null) text += `${lldp.chassis} `;
  if (lldp.port !== null) text += `${lldp.port} `;
  if (lldp.ttl >= 0) text += `${lldp.ttl} `;
  if (lldp.systemName !== null) text += `SysN=${lldp.systemName} `;
  if (lldp.systemDescription !== null) text += `SysD=${lldp.systemDescription} `;
  return text;
}

export const LLDP_TLV_NAMES: Readonly<Record<number, string>> = {
  0: 'End of LLDPDU',
  1: 'Chassis Id',
  2: 'Port Id',
  3: 'Time to Live',
  4: 'Port Description',
  5: 'System Name',
  6: 'System Description',
  7: 'System Capabilities',
  8: 'Management Address',
  127: 'Organization Specific',
};

export function lldpTree(l: Lldp, t: Tree): DetailNode {
  const value = (type: number) =>
    type === 1
      ? ` = ${l.chassis}`
      : type === 2
        ? ` = ${l.port}`
        : type === 3
          ? ` = ${l.ttl} sec`
          : type === 5
            ? ` = ${l.systemName}`
            : type === 6
              ? ` = ${l.systemDescription}`
              : '';
  const c = l.tlvs.map((tlv) => t.node(`${LLDP_TLV_NAMES[tlv.type] ?? `Reserved (${tlv.type})`}${value(tlv.type)}`, tlv.at, tlv.length + 2));
  const last = l.tlvs[l.tlvs.length - 1];
  return t.node('Link Layer Discovery Protocol', l.at, last ? last.at + last.length + 2 - l.at : 0, c);
}
