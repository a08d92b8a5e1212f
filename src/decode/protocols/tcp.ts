/**
 * TCP header (RFC 9293, https://www.rfc-editor.org/rfc/rfc9293), with the options Wireshark
 * summarises in the Info column: MSS, window scale (RFC 7323), SACK (RFC 2018), timestamps.
 */
import { u16, u32 } from './ethernet.ts';

export const enum TcpFlag {
  Fin = 0x001,
  Syn = 0x002,
  Rst = 0x004,
  Psh = 0x008,
  Ack = 0x010,
  Urg = 0x020,
  Ece = 0x040,
  Cwr = 0x080,
  /** The former NS bit, AE in RFC 9768. */
  Ae = 0x100,
}

export interface Tcp {
  at: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Header length in bytes (data offset * 4). */
  headerBytes: number;
  /** The 12 flag bits: the 8 of byte 13, AE, and the three reserved bits above it. */
  flags: number;
  window: number;
  checksum: number;
  urgent: number;
  optionsAt: number;
  payloadAt: number;
  /** Payload bytes by the IP length (which may exceed what was captured). */
  payloadLength: number;
}

/**
 * `end` bounds what may be read (the captured end); `reportedEnd` is where the segment ends by
 * the IP header's length, which sets the payload length when the capture was cut short.
 */
export function decodeTcp(b: Uint8Array, start: number, end: number, reportedEnd = end): Tcp | null {
  if (end - start < 20) return null;
  const headerBytes = (b[start + 12] >> 4) * 4;
  return {
    at: start,
    srcPort: u16(b, start),
    dstPort: u16(b, start + 2),
    seq: u32(b, start + 4),
    ack: u32(b, start + 8),
    headerBytes,
    flags: u16(b, start + 12) & 0x0fff,
    window: u16(b, start + 14),
    checksum: u16(b, start + 16),
    urgent: u16(b, start + 18),
    optionsAt: start + 20,
    payloadAt: start + headerBytes,
    payloadLength: Math.max(0, reportedEnd - start - headerBytes),
  };
}

export interface TcpOption {
  kind: number;
  at: number;
  /** Whole option length in bytes (1 for EOL and NOP). */
  length: number;
}

/** The options between the fixed header and the data; stops at a malformed length. */
export function tcpOptions(b: Uint8Array, tcp: Tcp, end: number): TcpOption[] {
  const out: TcpOption[] = [];
  const stop = Math.min(end, tcp.payloadAt);
  let p = tcp.optionsAt;
  while (p < stop) {
    const kind = b[p];
    if (kind === 0 || kind === 1) {
      out.push({ kind, at: p, length: 1 });
      p++;
      if (kind === 0) break;
      continue;
    }
    if (p + 2 > stop || b[p + 1] < 2 || p + b[p + 1] > stop) break;
    out.push({ kind, at: p, length: b[p + 1] });
    p += b[p + 1];
  }
  return out;
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECN', 'CWR', 'NS', 'Reserved', 'Reserved', 'Reserved'];

/** "SYN, ACK" as Wireshark lists set flags (low bit first; ECE is "ECN", AE is "NS"), or "<None>". */
export function tcpFlagsText(flags: number): string {
  let text = '';
  for (let bit = 0; bit < 12; bit++) {
    if (!(flags & (1 << bit))) continue;
    text += text ? `, ${FLAG_NAMES[bit]}` : FLAG_NAMES[bit];
  }
  return text || '<None>';
}

export const TCP_OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Maximum segment size', 3: 'Window scale',
  4: 'SACK permitted', 5: 'SACK', 8: 'Timestamps', 19: 'MD5 signature', 28: 'User Timeout', 29: 'TCP-AO',
  30: 'Multipath TCP', 34: 'TCP Fast Open Cookie',
};
