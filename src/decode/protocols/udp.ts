/**
 * UDP header (RFC 768, https://www.rfc-editor.org/rfc/rfc768).
 */
import { hex, u16, type DetailNode, type Tree } from './ethernet.ts';

export interface Udp {
  at: number;
  srcPort: number;
  dstPort: number;
  /** The header's length field: header and payload bytes (0 for an IPv6 jumbogram). */
  length: number;
  checksum: number;
  payloadAt: number;
  /** End of the datagram by its length field, else by the IP payload's end. */
  payloadEnd: number;
}

/** `reportedEnd` is the IP payload's end, used when the length field is 0 or too small. */
export function decodeUdp(b: Uint8Array, start: number, end: number, reportedEnd = end): Udp | null {
  if (end - start < 8) return null;
  const length = u16(b, start + 4);
  return {
    at: start,
    srcPort: u16(b, start),
    dstPort: u16(b, start + 2),
    length,
    checksum: u16(b, start + 6),
    payloadAt: start + 8,
    payloadEnd: length >= 8 ? start + length : reportedEnd,
  };
}

export function udpTree(u: Udp, end: number, t: Tree): DetailNode {
  const p = u.at;
  const payloadEnd = Math.min(end, u.payloadEnd);
  const c = [
    t.node(`Source Port: ${u.srcPort}`, p, 2),
    t.node(`Destination Port: ${u.dstPort}`, p + 2, 2),
    t.node(`Length: ${u.length}`, p + 4, 2),
    t.node(`Checksum: ${hex(u.checksum, 4)}`, p + 6, 2),
  ];
  if (payloadEnd > u.payloadAt) c.push(t.node(`UDP payload (${u.payloadEnd - u.payloadAt} bytes)`, u.payloadAt, payloadEnd - u.payloadAt));
  // The node spans the payload too, so the payload line stays inside it.
  return t.node(`User Datagram Protocol, Src Port: ${u.srcPort}, Dst Port: ${u.dstPort}`, p, Math.max(8, payloadEnd - p), c);
}
