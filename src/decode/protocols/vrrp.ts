/**
 * VRRP, IP protocol 112. Version 2: RFC 3768 (https://www.rfc-editor.org/rfc/rfc3768).
 * Version 3: RFC 9568 (https://www.rfc-editor.org/rfc/rfc9568, formerly RFC 5798), IPv4 or IPv6.
 *
 *   v2: ver|type vrid priority count | auth_type adver_int(s) checksum | IPv4 * count | auth(8)
 *   v3: ver|type vrid priority count | rsvd(4)|max_adver_int(12, cs) checksum | addresses * count
 */
import { ipv4Text, ipv6Text } from '../addresses.ts';
import { bitsLabel, hex, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export interface Vrrp {
  at: number;
  version: number;
  type: number;
  vrid: number;
  priority: number;
  count: number;
  /** Version 2 only, else -1. */
  authType: number;
  /** Seconds in version 2, centiseconds in version 3. */
  advertInterval: number;
  checksum: number;
  /** Address family of the addresses: that of the IP header carrying the message. */
  ipVersion: 4 | 6;
  addressesAt: number;
  /** The addresses the frame holds (fewer than count when it was cut short). */
  addresses: string[];
  /** Version 2 simple-text authentication data (auth type 1), else null. */
  authText: string | null;
}

/** Null when the 8-byte fixed header is missing. */
export function decodeVrrp(b: Uint8Array, start: number, end: number, ipVersion: 4 | 6 = 4): Vrrp | null {
  if (end - start < 8) return null;
  const version = b[start] >> 4;
  const v3 = version === 3;
  const count = b[start + 3];
  const size = ipVersion === 6 ? 16 : 4;
  const addresses: string[] = [];
  let p = start + 8;
  for (let i = 0; i < count && end - p >= size; i++, p += size) {
    addresses.push(size === 4 ? ipv4Text(u32(b, p)) : ipv6Text(b.subarray(p, p + 16)));
  }
  const authType = v3 ? -1 : b[start + 4];
  const authAt = start + 8 + count * size;
  return {
    at: start,
    version,
    type: b[start] & 0x0f,
    vrid: b[start + 1],
    priority: b[start + 2],
    count,
    authType,
    advertInterval: v3 ? u16(b, start + 4) & 0x0fff : b[start + 5],
    checksum: u16(b, start + 6),
    ipVersion,
    addressesAt: start + 8,
    addresses,
    authText: authType === 1 && end - authAt >= 8 ? text(b, authAt, 8) : null,
  };
}

function text(b: Uint8Array, p: number, n: number): string {
  let out = '';
  for (let i = 0; i < n && b[p + i] !== 0; i++) out += String.fromCharCode(b[p + i]);
  return out;
}

/** Wireshark's words for the priority: 0 and 255 are special (RFC 3768 5.3.4). */
export function vrrpPriorityText(priority: number): string {
  if (priority === 0) return 'Current Master has stopped participating in VRRP';
  if (priority === 100) return 'Default priority for a backup VRRP router';
  if (priority === 255) return "This VRRP router owns the virtual router's IP address(es)";
  return 'Non-default backup priority';
}

export const VRRP_AUTH_TYPES: Readonly<Record<number, string>> = {
  0: 'No Authentication',
  1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]',
  2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]',
  254: 'Cisco VRRP MD5 Authentication',
};

export function vrrpTree(v: Vrrp, end: number, t: Tree): DetailNode {
  const p = v.at;
  const typeName = v.type === 1 ? 'Advertisement' : 'Unknown';
  const size = v.ipVersion === 6 ? 16 : 4;
  const c = [
    t.node(`Version ${v.version}, Packet type ${v.type} (${typeName})`, p, 1, [
      t.node(`${bitsLabel(v.version << 4, 0xf0, 8)}VRRP protocol version: ${v.version}`, p, 1),
      t.node(`${bitsLabel(v.type, 0x0f, 8)}VRRP packet type: ${typeName} (${v.type})`, p, 1),
    ]),
    t.node(`Virtual Rtr ID: ${v.vrid}`, p + 1, 1),
    t.node(`Priority: ${v.priority} (${vrrpPriorityText(v.priority)})`, p + 2, 1),
    t.node(`Addr Count: ${v.count}`, p + 3, 1),
  ];
  if (v.version === 3) {
    c.push(t.node(`${bitsLabel(v.advertInterval, 0x0fff, 16)}Adver Int: ${v.advertInterval}`, p + 4, 2));
  } else {
    c.push(t.node(`Auth Type: ${VRRP_AUTH_TYPES[v.authType] ?? 'Unknown'} (${v.authType})`, p + 4, 1));
    c.push(t.node(`Adver Int: ${v.advertInterval}`, p + 5, 1));
  }
  c.push(t.node(`Checksum: ${hex(v.checksum, 4)}`, p + 6, 2));
  for (const [i, a] of v.addresses.entries()) c.push(t.node(`${size === 4 ? 'IP' : 'IPv6'} Address: ${a}`, p + 8 + i * size, size));
  const authAt = p + 8 + v.count * size;
  if (v.authText !== null) c.push(t.node(`Authentication String: ${v.authText}`, authAt, 8));
  const total = v.version === 2 ? authAt + 8 - p : authAt - p;
  return t.node('Virtual Router Redundancy Protocol', p, Math.min(total, end - p), c);
}
