/**
 * VRRP, IP protocol 112. Version 2: RFC 3768 (https://www.rfc-editor.org/rfc/rfc3768).
 * Version 3: RFC 9568 (https://www.rfc-editor.org/rfc/rfc9568, formerly RFC 5798), IPv4 or IPv6.
 *
 *   v2: ver|type vrid priority count | auth_type adver_int(s) checksum | IPv4 * count | auth(8)
 *   v3: ver|type vrid priority count | rsvd(4)|max_adver_int(12, cs) checksum | addresses * count
 */
import { ipv4Text, ipv6Text } from '../addresses.ts';
import { u16, u32 } from './ethernet.ts';

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
  if (priority === 255) return 'This VRRP router owns the virtual router\'s IP address(es)';
  return 'Non-default backup priority';
}

export const VRRP_AUTH_TYPES: Readonly<Record<number, string>> = {
  0: 'No Authentication',
  1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]',
  2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]',
  254: 'Cisco VRRP MD5 Authentication',
};
