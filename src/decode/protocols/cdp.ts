/**
 * Cisco Discovery Protocol, SNAP 00000c/2000. No public specification; the layout follows
 * Cisco's "CDP" MIB notes and Wireshark's dissector (https://www.wireshark.org/docs/dfref/c/cdp.html):
 *
 *   version ttl checksum(2) | TLV* (type(2) length(2, header included) value)
 */
import { hex, u16, type DetailNode, type Tree } from './ethernet.ts';

export interface CdpTlv {
  type: number;
  at: number;
  length: number;
}

export interface Cdp {
  at: number;
  version: number;
  ttl: number;
  checksum: number;
  tlvs: CdpTlv[];
  deviceId: string | null;
  portId: string | null;
}

export function decodeCdp(b: Uint8Array, start: number, end: number): Cdp | null {
  if (end - start < 4) return null;
  const cdp: Cdp = { at: start, version: b[start], ttl: b[start + 1], checksum: u16(b, start + 2), tlvs: [], deviceId: null, portId: null };
  for (let p = start + 4; end - p >= 4; ) {
    const type = u16(b, p);
    const length = u16(b, p + 2);
    if (length < 4) break;
    cdp.tlvs.push({ type, at: p, length });
    const valueEnd = Math.min(end, p + length);
    if (type === 1) cdp.deviceId = latin1(b, p + 4, valueEnd);
    if (type === 3) cdp.portId = latin1(b, p + 4, valueEnd);
    p += length;
  }
  return cdp;
}

function latin1(b: Uint8Array, p: number, end: number): string {
  let text = '';
  for (; p < end && b[p] !== 0; p++) text += String.fromCharCode(b[p]);
  return text;
}

/** Wireshark's Info: "Device ID: S2  Port ID: GigabitEthernet0/13  ". */
export function cdpInfo(cdp: Cdp): string {
  let text = '';
  if (cdp.deviceId !== null) text += `Device ID: ${cdp.deviceId}  `;
  if (cdp.portId !== null) text += `Port ID: ${cdp.portId}  `;
  return text || 'Cisco Discovery Protocol';
}

export const CDP_TLV_NAMES: Readonly<Record<number, string>> = {
  1: 'Device ID',
  2: 'Addresses',
  3: 'Port ID',
  4: 'Capabilities',
  5: 'Software Version',
  6: 'Platform',
  9: 'VTP Management Domain',
  10: 'Native VLAN',
  11: 'Duplex',
  22: 'Management Addresses',
};

export function cdpTree(cdp: Cdp, t: Tree): DetailNode {
  const p = cdp.at;
  const c = [
    t.node(`Version: ${cdp.version}`, p, 1),
    t.node(`TTL: ${cdp.ttl} seconds`, p + 1, 1),
    t.node(`Checksum: ${hex(cdp.checksum, 4)}`, p + 2, 2),
    ...cdp.tlvs.map((tlv) => {
      const value = tlv.type === 1 ? `: ${cdp.deviceId}` : tlv.type === 3 ? `: ${cdp.portId}` : '';
      return t.node(`${CDP_TLV_NAMES[tlv.type] ?? `Unknown type (${hex(tlv.type, 4)})`}${value}`, tlv.at, tlv.length);
    }),
  ];
  const last = cdp.tlvs[cdp.tlvs.length - 1];
  return t.node('Cisco Discovery Protocol', p, last ? last.at + last.length - p : 4, c);
}
