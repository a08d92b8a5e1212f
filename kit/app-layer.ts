// Application payloads that dissect cleanly: DNS, DHCP, NTP, RTP and TLS records. Each
// returns what goes inside a UDP datagram or TCP stream; the comments name the port.
import { ascii, concat, ipv4Addr, mac, u16, u32, type Addr } from './bytes.ts';

// ---- DNS (UDP 53, RFC 1035) ----------------------------------------------------------

export interface DnsAnswer {
  ttl: number;
  data: Uint8Array;
}

function dnsName(name: string): Uint8Array {
  return concat(...name.split('.').map((label) => concat(Uint8Array.of(label.length), ascii(label))), Uint8Array.of(0));
}

/**
 * One question of class IN; each answer has the question's type and names it by a pointer
 * to offset 12, where the question's name starts. Flags: 0x0100 a recursive query,
 * 0x8180 its answer.
 */
export function dnsMessage(o: { id: number; flags: number; name: string; qtype: number; answers?: DnsAnswer[] }): Uint8Array {
  const question = concat(dnsName(o.name), u16(o.qtype), u16(1));
  const answers = (o.answers ?? []).map((a) => concat(u16(0xc00c), u16(o.qtype), u16(1), u32(a.ttl), u16(a.data.length), a.data));
  return concat(u16(o.id), u16(o.flags), u16(1), u16(answers.length), u16(0), u16(0), question, ...answers);
}

// ---- DHCP (UDP 67/68, RFC 2131) ------------------------------------------------------

export type DhcpOption = [code: number, data: Uint8Array];

/** BOOTP messages are at least 300 bytes; DHCP servers and clients pad to it. */
const BOOTP_MIN_BYTES = 300;

/** `messageType` becomes option 53, ahead of `options`; 1 Discover, 2 Offer, 3 Request, 5 Ack. */
export function dhcpMessage(o: {
  op: 1 | 2;
  xid: number;
  broadcast?: boolean;
  yiaddr?: Addr;
  chaddr: Addr;
  messageType: number;
  options?: DhcpOption[];
}): Uint8Array {
  const chaddr = new Uint8Array(16);
  chaddr.set(mac(o.chaddr));
  const options = [[53, Uint8Array.of(o.messageType)] as DhcpOption, ...(o.options ?? [])].map(([code, data]) =>
    concat(Uint8Array.of(code, data.length), data),
  );
  const body = concat(
    Uint8Array.of(o.op, 1, 6, 0), // Ethernet, 6-byte hardware address, no hops
    u32(o.xid),
    u16(0), // secs
    u16(o.broadcast ? 0x8000 : 0),
    new Uint8Array(4), // ciaddr
    o.yiaddr === undefined ? new Uint8Array(4) : ipv4Addr(o.yiaddr),
    new Uint8Array(8), // siaddr, giaddr
    chaddr,
    new Uint8Array(64 + 128), // sname, file
    u32(0x63825363), // magic cookie
    ...options,
    Uint8Array.of(255),
  );
  return body.length >= BOOTP_MIN_BYTES ? body : concat(body, new Uint8Array(BOOTP_MIN_BYTES - body.length));
}

// ---- NTP (UDP 123, RFC 5905) ---------------------------------------------------------

/** Seconds since 1900 and a binary fraction of a second. */
export interface NtpTime {
  sec: number;
  frac: number;
}

const NO_TIME: NtpTime = { sec: 0, frac: 0 };

/** Version 4; mode 3 a client's request, 4 the server's reply. `precision` is log2 seconds. */
export function ntpPacket(o: {
  mode: number;
  stratum: number;
  poll: number;
  precision: number;
  rootDelay?: number;
  rootDispersion?: number;
  refId?: Addr;
  reference?: NtpTime;
  origin?: NtpTime;
  receive?: NtpTime;
  transmit: NtpTime;
}): Uint8Array {
  const time = (t: NtpTime = NO_TIME) => concat(u32(t.sec), u32(t.frac));
  return concat(
    Uint8Array.of((4 << 3) | o.mode, o.stratum, o.poll, o.precision & 0xff),
    u32(o.rootDelay ?? 0),
    u32(o.rootDispersion ?? 0),
    o.refId === undefined ? new Uint8Array(4) : ipv4Addr(o.refId),
    time(o.reference),
    time(o.origin),
    time(o.receive),
    time(o.transmit),
  );
}

// ---- RTP (RFC 3550) and TLS records ---------------------------------------------------

/** Version 2, no padding, extension or CSRCs. */
export function rtp(o: { payloadType: number; seq: number; timestamp: number; ssrc: number; payload: Uint8Array }): Uint8Array {
  return concat(Uint8Array.of(0x80, o.payloadType), u16(o.seq), u32(o.timestamp), u32(o.ssrc), o.payload);
}

/** A TLS 1.2 record; content type 23 is application data. */
export function tlsRecord(contentType: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(contentType, 3, 3), u16(body.length), body);
}
