/**
 * TCP header (RFC 9293, https://www.rfc-editor.org/rfc/rfc9293), with the options Wireshark
 * summarises in the Info column: MSS, window scale (RFC 7323), SACK (RFC 2018), timestamps.
 */
import { bitsLabel, hex, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

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

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

/** "SYN, ACK" as Wireshark lists set flags (low bit first; the three reserved bits as one "Reserved"), or "<None>". */
export function tcpFlagsText(flags: number): string {
  let text = '';
  for (let bit = 0; bit < 9; bit++) {
    if (!(flags & (1 << bit))) continue;
    text += text ? `, ${FLAG_NAMES[bit]}` : FLAG_NAMES[bit];
  }
  if (flags & 0xe00) text += text ? ', Reserved' : 'Reserved';
  return text || '<None>';
}

export const TCP_OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Maximum segment size',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  8: 'Timestamps',
  19: 'MD5 signature',
  28: 'User Timeout',
  29: 'TCP-AO',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
};

/** Sequence-analysis verdicts the ingest's flow state hands to the Info text (tshark's tcp.analysis.*). */
export const enum TcpAnalysis {
  Retransmission = 1 << 0,
  FastRetransmission = 1 << 1,
  SpuriousRetransmission = 1 << 2,
  OutOfOrder = 1 << 3,
  LostSegment = 1 << 4,
  AckLostSegment = 1 << 5,
  WindowUpdate = 1 << 6,
  WindowFull = 1 << 7,
  KeepAlive = 1 << 8,
  KeepAliveAck = 1 << 9,
  DupAck = 1 << 10,
  ZeroWindowProbe = 1 << 11,
  ZeroWindow = 1 << 12,
  ZeroWindowProbeAck = 1 << 13,
  PortsReused = 1 << 14,
}

export interface TcpInfoState {
  /** Sequence and acknowledgement numbers relative to the flow's first ones; absent: absolute. */
  relSeq?: number;
  relAck?: number;
  /** Window scale shift from the SYNs; negative or absent: unknown, the raw window prints. */
  windowShift?: number;
  /** TcpAnalysis bits. */
  analysis?: number;
  /** For DupAck: the frame acknowledged again and the how-many-th duplicate this is. */
  dupAckFrame?: number;
  dupAckCount?: number;
}

/**
 * Wireshark prepends each verdict in this order, so the last one applied reads first: the
 * list is that order reversed.
 */
const ANALYSIS_PREFIXES: readonly [number, string][] = [
  [TcpAnalysis.PortsReused, '[TCP Port numbers reused] '],
  [TcpAnalysis.ZeroWindowProbeAck, '[TCP ZeroWindowProbeAck] '],
  [TcpAnalysis.ZeroWindow, '[TCP ZeroWindow] '],
  [TcpAnalysis.ZeroWindowProbe, '[TCP ZeroWindowProbe] '],
  [TcpAnalysis.DupAck, ''],
  [TcpAnalysis.KeepAliveAck, '[TCP Keep-Alive ACK] '],
  [TcpAnalysis.KeepAlive, '[TCP Keep-Alive] '],
  [TcpAnalysis.WindowFull, '[TCP Window Full] '],
  [TcpAnalysis.WindowUpdate, '[TCP Window Update] '],
  [TcpAnalysis.AckLostSegment, '[TCP ACKed unseen segment] '],
  [TcpAnalysis.LostSegment, '[TCP Previous segment not captured] '],
  [TcpAnalysis.OutOfOrder, '[TCP Out-Of-Order] '],
  [TcpAnalysis.SpuriousRetransmission, '[TCP Spurious Retransmission] '],
  [TcpAnalysis.FastRetransmission, '[TCP Fast Retransmission] '],
  [TcpAnalysis.Retransmission, '[TCP Retransmission] '],
];

function analysisPrefix(state: TcpInfoState | undefined): string {
  let flags = state?.analysis ?? 0;
  if (!flags) return '';
  // A spurious or fast retransmission is also a retransmission; Wireshark names only the specific kind.
  if (flags & (TcpAnalysis.SpuriousRetransmission | TcpAnalysis.FastRetransmission)) flags &= ~TcpAnalysis.Retransmission;
  let text = '';
  for (const [bit, prefix] of ANALYSIS_PREFIXES) {
    if (!(flags & bit)) continue;
    text += bit === TcpAnalysis.DupAck ? dupAckPrefix(state!) : prefix;
  }
  return text;
}

/** "[TCP Dup ACK 12#1] ": the frame acknowledged again and the count; without them, the bare verdict. */
function dupAckPrefix(state: TcpInfoState): string {
  return state.dupAckFrame === undefined ? '[TCP Dup ACK] ' : `[TCP Dup ACK ${state.dupAckFrame}#${state.dupAckCount ?? 1}] `;
}

/** "61730 → 1434 [ACK] Seq=1 Ack=1 Win=513 Len=0 MSS=1460 ...", with the state's prefixes. */
export function tcpInfo(b: Uint8Array, tcp: Tcp, end: number, state?: TcpInfoState): string {
  const ports = `${tcp.srcPort} → ${tcp.dstPort}`;
  if (tcp.headerBytes < 20) return `${ports} [BAD HEADER LEN]`;
  const seq = state?.relSeq ?? tcp.seq;
  let text = `${analysisPrefix(state)}${ports} [${tcpFlagsText(tcp.flags)}] Seq=${seq}`;
  if (tcp.flags & TcpFlag.Ack) text += ` Ack=${state?.relAck ?? tcp.ack}`;
  const shift = state?.windowShift ?? -1;
  const window = shift >= 0 && !(tcp.flags & TcpFlag.Syn) ? tcp.window * 2 ** shift : tcp.window;
  text += ` Win=${window}`;
  if (tcp.flags & TcpFlag.Urg) text += ` Urg=${tcp.urgent}`;
  text += ` Len=${tcp.payloadLength}`;
  // Relative SACK edges are taken against the same base as the acknowledgement number.
  const ackBase = state?.relAck === undefined ? 0 : (tcp.ack - state.relAck) >>> 0;
  return text + optionsInfo(b, tcp, end, ackBase);
}

function optionsInfo(b: Uint8Array, tcp: Tcp, end: number, ackBase: number): string {
  let text = '';
  for (const o of tcpOptions(b, tcp, end)) {
    const v = o.at + 2;
    if (o.kind === 2 && o.length === 4) text += ` MSS=${u16(b, v)}`;
    else if (o.kind === 3 && o.length === 3) text += ` WS=${2 ** Math.min(b[v], 14)}`;
    else if (o.kind === 4 && o.length === 2) text += ' SACK_PERM';
    else if (o.kind === 8 && o.length === 10) text += ` TSval=${u32(b, v)} TSecr=${u32(b, v + 4)}`;
    else if (o.kind === 19 && o.length === 18) text += ' MD5';
    else if (o.kind === 34) text += o.length === 2 ? ' TFO=R' : ' TFO=C';
    else if (o.kind === 5) {
      for (let p = v; p + 8 <= o.at + o.length; p += 8) {
        text += ` SLE=${(u32(b, p) - ackBase) >>> 0} SRE=${(u32(b, p + 4) - ackBase) >>> 0}`;
      }
    }
  }
  return text;
}

const FLAG_FIELDS: readonly [number, string][] = [
  [0xe00, 'Reserved'],
  [0x100, 'Accurate ECN'],
  [0x080, 'Congestion Window Reduced'],
  [0x040, 'ECN-Echo'],
  [0x020, 'Urgent'],
  [0x010, 'Acknowledgment'],
  [0x008, 'Push'],
  [0x004, 'Reset'],
  [0x002, 'Syn'],
  [0x001, 'Fin'],
];

export function tcpTree(b: Uint8Array, tcp: Tcp, end: number, t: Tree): DetailNode {
  const p = tcp.at;
  const c = [
    t.node(`Source Port: ${tcp.srcPort}`, p, 2),
    t.node(`Destination Port: ${tcp.dstPort}`, p + 2, 2),
    t.node(`Sequence Number (raw): ${tcp.seq}`, p + 4, 4),
    t.node(`Acknowledgment Number (raw): ${tcp.ack}`, p + 8, 4),
    t.node(`${bitsLabel(b[p + 12], 0xf0, 8)}Header Length: ${tcp.headerBytes} bytes (${tcp.headerBytes / 4})`, p + 12, 1),
    t.node(
      `Flags: ${hex(tcp.flags, 3)} (${tcpFlagsText(tcp.flags)})`,
      p + 12,
      2,
      FLAG_FIELDS.map(([mask, name]) => t.node(`${bitsLabel(tcp.flags, mask, 12)}${name}: ${tcp.flags & mask ? 'Set' : 'Not set'}`, p + 12, 2)),
    ),
    t.node(`Window: ${tcp.window}`, p + 14, 2),
    t.node(`Checksum: ${hex(tcp.checksum, 4)}`, p + 16, 2),
    t.node(`Urgent Pointer: ${tcp.urgent}`, p + 18, 2),
  ];
  const options = tcpOptions(b, tcp, end);
  if (options.length) {
    c.push(
      t.node(
        `Options: (${tcp.headerBytes - 20} bytes)`,
        p + 20,
        tcp.headerBytes - 20,
        options.map((o) => t.node(`TCP Option - ${TCP_OPTION_NAMES[o.kind] ?? `Unknown (${o.kind})`}`, o.at, o.length)),
      ),
    );
  }
  const captured = Math.min(end, tcp.payloadAt + tcp.payloadLength) - tcp.payloadAt;
  if (captured > 0) c.push(t.node(`TCP payload (${tcp.payloadLength} bytes)`, tcp.payloadAt, captured));
  const title = `Transmission Control Protocol, Src Port: ${tcp.srcPort}, Dst Port: ${tcp.dstPort}, Seq: ${tcp.seq}${tcp.flags & TcpFlag.Ack ? `, Ack: ${tcp.ack}` : ''}, Len: ${tcp.payloadLength}`;
  return t.node(title, p, Math.max(20, tcp.headerBytes, captured > 0 ? tcp.payloadAt + captured - p : 0), c);
}
