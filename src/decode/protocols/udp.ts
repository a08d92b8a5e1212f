/**
 * UDP header (RFC 768, https://www.rfc-editor.org/rfc/rfc768).
 */
import { u16 } from './ethernet.ts';

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
