/**
 * What stays the same when one packet is seen at several points of a network: the network
 * packet without its link header, with what each hop rewrites blanked (IPv4 TTL and header
 * checksum, IPv6 hop limit). Two captures holding the same key saw the same packet.
 */
import { decodeLink } from '../decode/protocols/ethernet.ts';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_ARP = 0x0806;

/**
 * A key for the frame's network packet, or null when it carries none we can follow (IP, ARP).
 * `ignoreAddresses`: for paths through NAT, the IP addresses, TCP/UDP ports and the
 * checksums that cover them are blanked too (the IP id and the payload still tell packets apart).
 */
export function packetKey(bytes: Uint8Array, linkType: number, ignoreAddresses = false): string | null {
  const link = decodeLink(bytes, 0, bytes.length, linkType);
  if (!link) return null;
  const type = link.etherType;
  if (type !== ETHERTYPE_IPV4 && type !== ETHERTYPE_IPV6 && type !== ETHERTYPE_ARP) return null;
  const packet = bytes.slice(link.payloadAt, link.payloadEnd);
  if (type === ETHERTYPE_IPV4 && packet.length >= 20) {
    packet[8] = 0;
    packet[10] = 0;
    packet[11] = 0;
    if (ignoreAddresses) blankAddresses(packet, 12, 8, (packet[0] & 0x0f) * 4, packet[9]);
    // Only as much as the IP header says: Ethernet padding differs between points.
    const total = (packet[2] << 8) | packet[3];
    return hashKey(total >= 20 && total < packet.length ? packet.subarray(0, total) : packet);
  }
  if (type === ETHERTYPE_IPV6 && packet.length >= 40) {
    packet[7] = 0;
    if (ignoreAddresses) blankAddresses(packet, 8, 32, 40, packet[6]);
    const total = 40 + ((packet[4] << 8) | packet[5]);
    return hashKey(total < packet.length ? packet.subarray(0, total) : packet);
  }
  // ARP: 28 bytes for IPv4 over Ethernet, the rest is padding.
  return hashKey(packet.subarray(0, Math.min(packet.length, 8 + 2 * (packet[4] + packet[5]))));
}

/** Zeroes the addresses, and for TCP/UDP the ports and the checksum (it covers the addresses). */
function blankAddresses(packet: Uint8Array, addressesAt: number, addressBytes: number, transportAt: number, protocol: number): void {
  packet.fill(0, addressesAt, addressesAt + addressBytes);
  if (protocol !== 6 && protocol !== 17) return;
  packet.fill(0, transportAt, Math.min(packet.length, transportAt + 4));
  const checksumAt = transportAt + (protocol === 6 ? 16 : 6);
  packet.fill(0, checksumAt, Math.min(packet.length, checksumAt + 2));
}

/** Two 32-bit FNV-1a hashes with different seeds, and the length: collisions are not a concern at this scale. */
function hashKey(b: Uint8Array): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ b.length;
  for (let i = 0; i < b.length; i++) {
    h1 = Math.imul(h1 ^ b[i], 0x01000193);
    h2 = Math.imul(h2 ^ b[i], 0x5bd1e995);
  }
  return `${b.length}:${(h1 >>> 0).toString(16)}:${(h2 >>> 0).toString(16)}`;
}
