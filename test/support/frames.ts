// Builders for frame bytes used by tests. Pure functions: no Node APIs, so
// they can also be used from browser-side tests.
//
// Checksums: IPv4 headers, ICMP and VRRPv2 are always checksummed. TCP, UDP,
// ICMPv6 and VRRPv3 checksums cover an IP pseudo-header, so ipv4()/ipv6()
// fill them in when the payload's checksum field is still zero (leave a
// non-zero value in place to forge a bad checksum).

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function u16(v: number): Uint8Array {
  return new Uint8Array([(v >>> 8) & 0xff, v & 0xff]);
}

export function u32(v: number): Uint8Array {
  return new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** 'aa:bb:cc:dd:ee:ff' (any number of colon-separated hex octets). */
export function mac(s: string): Uint8Array {
  return s === '' ? new Uint8Array(0) : Uint8Array.from(s.split(':'), (h) => parseInt(h, 16));
}

export function ipv4Addr(s: string): Uint8Array {
  const parts = s.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`bad IPv4 address ${s}`);
  }
  return Uint8Array.from(parts);
}

export function ipv6Addr(s: string): Uint8Array {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (str: string) => (str === '' ? [] : str.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) throw new Error(`bad IPv6 address ${s}`);
  return concat(...all.map(u16));
}

/** RFC 1071 one's-complement sum over the concatenation of `parts`. */
export function internetChecksum(...parts: Uint8Array[]): number {
  const b = concat(...parts);
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function setU16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

// ---- link layers -----------------------------------------------------------

export interface Vlan {
  tpid: 0x8100 | 0x88a8 | 0x9100;
  id: number;
  pcp?: number;
}

export function ethernet(o: { dst: string; src: string; vlans?: Vlan[]; etherType: number; payload: Uint8Array }): Uint8Array {
  const tags = (o.vlans ?? []).map((v) => concat(u16(v.tpid), u16(((v.pcp ?? 0) << 13) | (v.id & 0xfff))));
  return concat(mac(o.dst), mac(o.src), ...tags, u16(o.etherType), o.payload);
}

/** LINKTYPE_LINUX_SLL (113). */
export function linuxSll(o: { pktType: number; haType: number; addr: string; protocol: number; payload: Uint8Array }): Uint8Array {
  const addr = mac(o.addr);
  const field = new Uint8Array(8);
  field.set(addr.subarray(0, 8));
  return concat(u16(o.pktType), u16(o.haType), u16(addr.length), field, u16(o.protocol), o.payload);
}

/** LINKTYPE_LINUX_SLL2 (276). */
export function linuxSll2(o: {
  protocol: number;
  ifIndex: number;
  haType: number;
  pktType: number;
  addr: string;
  payload: Uint8Array;
}): Uint8Array {
  const addr = mac(o.addr);
  const field = new Uint8Array(8);
  field.set(addr.subarray(0, 8));
  return concat(
    u16(o.protocol),
    u16(0),
    u32(o.ifIndex),
    u16(o.haType),
    Uint8Array.of(o.pktType, addr.length),
    field,
    o.payload,
  );
}

/** LINKTYPE_NULL (0): the family is in the capturing host's byte order. */
export function bsdNull(family: number, payload: Uint8Array, littleEndian: boolean): Uint8Array {
  const hdr = new Uint8Array(4);
  new DataView(hdr.buffer).setUint32(0, family, littleEndian);
  return concat(hdr, payload);
}

// ---- network layer ---------------------------------------------------------

/** Offset of the checksum field of upper-layer protocols whose checksum covers the pseudo-header. */
function pseudoChecksumOffset(proto: number, payload: Uint8Array): number | undefined {
  switch (proto) {
    case 6:
      return 16;
    case 17:
      return 6;
    case 58:
      return 2;
    case 112:
      return payload[0] >> 4 === 3 ? 6 : undefined; // VRRPv2 has no pseudo-header
    default:
      return undefined;
  }
}

function fillPseudoChecksum(proto: number, payload: Uint8Array, pseudo: Uint8Array): Uint8Array {
  const off = pseudoChecksumOffset(proto, payload);
  if (off === undefined || payload.length < off + 2 || payload[off] !== 0 || payload[off + 1] !== 0) return payload;
  const out = payload.slice();
  const sum = internetChecksum(pseudo, out);
  // A computed zero means "no checksum" in UDP, so UDP transmits it as all ones.
  setU16(out, off, proto === 17 && sum === 0 ? 0xffff : sum);
  return out;
}

export function ipv4(o: {
  src: string;
  dst: string;
  proto: number;
  ttl?: number;
  id?: number;
  options?: Uint8Array;
  payload: Uint8Array;
}): Uint8Array {
  const src = ipv4Addr(o.src);
  const dst = ipv4Addr(o.dst);
  const options = new Uint8Array(Math.ceil((o.options?.length ?? 0) / 4) * 4); // pad with EOL
  if (o.options) options.set(o.options);
  const payload = fillPseudoChecksum(
    o.proto,
    o.payload,
    concat(src, dst, Uint8Array.of(0, o.proto), u16(o.payload.length)),
  );
  const hdr = concat(
    Uint8Array.of(0x40 | (5 + options.length / 4), 0),
    u16(20 + options.length + payload.length),
    u16(o.id ?? 0),
    u16(0),
    Uint8Array.of(o.ttl ?? 64, o.proto),
    u16(0),
    src,
    dst,
    options,
  );
  setU16(hdr, 10, internetChecksum(hdr));
  return concat(hdr, payload);
}

export interface Ipv6ExtHeader {
  /** 0 hop-by-hop, 43 routing, 60 destination options, 44 fragment (data = 6 bytes). */
  type: number;
  data: Uint8Array;
}

export function ipv6(o: {
  src: string;
  dst: string;
  nextHeader: number;
  hopLimit?: number;
  extHeaders?: Ipv6ExtHeader[];
  payload: Uint8Array;
}): Uint8Array {
  const src = ipv6Addr(o.src);
  const dst = ipv6Addr(o.dst);
  const exts = o.extHeaders ?? [];
  // Offset 0 with no more fragments (an atomic fragment) still carries the whole upper-layer message.
  const isPartial = exts.some((e) => e.type === 44 && (((e.data[0] << 8) | e.data[1]) & 0xfff9) !== 0);
  // Only the whole message can be checksummed.
  const payload = isPartial
    ? o.payload
    : fillPseudoChecksum(o.nextHeader, o.payload, concat(src, dst, u32(o.payload.length), u32(o.nextHeader)));
  const chain = exts.map((e, i) => extHeader(e, i + 1 < exts.length ? exts[i + 1].type : o.nextHeader));
  const body = concat(...chain, payload);
  return concat(
    u32(0x60000000),
    u16(body.length),
    Uint8Array.of(exts.length ? exts[0].type : o.nextHeader, o.hopLimit ?? 64),
    src,
    dst,
    body,
  );
}

function extHeader(e: Ipv6ExtHeader, next: number): Uint8Array {
  if (e.type === 44) {
    if (e.data.length !== 6) throw new Error('fragment header data must be 6 bytes');
    return concat(Uint8Array.of(next, 0), e.data);
  }
  // Zero padding is valid: in option headers zero bytes are Pad1 options.
  const len = Math.ceil((2 + e.data.length) / 8) * 8;
  const out = new Uint8Array(len);
  out.set([next, len / 8 - 1]);
  out.set(e.data, 2);
  return out;
}

// ---- transport layer -------------------------------------------------------

const TCP_FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

/** `flags` is a bit mask or letters as tcpdump prints them ('S', 'SA', 'PA', 'FA', 'R', ...). */
export function tcp(o: {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number | string;
  window: number;
  payload?: Uint8Array;
}): Uint8Array {
  const flags =
    typeof o.flags === 'number'
      ? o.flags
      : [...o.flags].reduce((m, c) => {
          const bit = TCP_FLAG_BITS[c.toUpperCase()];
          if (bit === undefined) throw new Error(`unknown TCP flag ${c}`);
          return m | bit;
        }, 0);
  return concat(
    u16(o.sport),
    u16(o.dport),
    u32(o.seq),
    u32(o.ack),
    Uint8Array.of(5 << 4, flags),
    u16(o.window),
    u16(0),
    u16(0),
    o.payload ?? new Uint8Array(0),
  );
}

export function udp(o: { sport: number; dport: number; payload: Uint8Array }): Uint8Array {
  return concat(u16(o.sport), u16(o.dport), u16(8 + o.payload.length), u16(0), o.payload);
}

interface IcmpFields {
  type: number;
  code: number;
  id?: number;
  seq?: number;
  payload?: Uint8Array;
}

function icmpMessage(o: IcmpFields): Uint8Array {
  return concat(Uint8Array.of(o.type, o.code), u16(0), u16(o.id ?? 0), u16(o.seq ?? 0), o.payload ?? new Uint8Array(0));
}

export function icmp(o: IcmpFields): Uint8Array {
  const msg = icmpMessage(o);
  setU16(msg, 2, internetChecksum(msg));
  return msg;
}

/** Checksum left zero: ipv6() fills it from the pseudo-header. */
export function icmpv6(o: IcmpFields): Uint8Array {
  return icmpMessage(o);
}

// ---- protocols used by the timeline's L2/L3 redundancy views ----------------

export function arp(o: { op: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string }): Uint8Array {
  return concat(
    u16(1),
    u16(0x0800),
    Uint8Array.of(6, 4),
    u16(o.op),
    mac(o.senderMac),
    ipv4Addr(o.senderIp),
    mac(o.targetMac),
    ipv4Addr(o.targetIp),
  );
}

export interface LacpActorInfo {
  systemPriority: number;
  system: string;
  key: number;
  portPriority: number;
  port: number;
  state: number;
}

function lacpInfoTlv(type: number, i: LacpActorInfo): Uint8Array {
  return concat(
    Uint8Array.of(type, 20),
    u16(i.systemPriority),
    mac(i.system),
    u16(i.key),
    u16(i.portPriority),
    u16(i.port),
    Uint8Array.of(i.state, 0, 0, 0),
  );
}

/** Slow-protocols payload (EtherType 0x8809, dst 01:80:c2:00:00:02): a 110-byte LACPDU. */
export function lacpdu(o: { actor: LacpActorInfo; partner: LacpActorInfo; collectorMaxDelay: number }): Uint8Array {
  return concat(
    Uint8Array.of(1, 1), // subtype LACP, version 1
    lacpInfoTlv(1, o.actor),
    lacpInfoTlv(2, o.partner),
    Uint8Array.of(3, 16),
    u16(o.collectorMaxDelay),
    new Uint8Array(12),
    Uint8Array.of(0, 0), // terminator TLV
    new Uint8Array(50),
  );
}

function authField(auth: string): Uint8Array {
  const out = new Uint8Array(8);
  out.set(ascii(auth).subarray(0, 8));
  return out;
}

/** HSRP version 0 message: UDP 1985 payload, 20 bytes. `auth` defaults to "cisco". */
export function hsrpV1(o: {
  opcode: number;
  state: number;
  hellotime: number;
  holdtime: number;
  priority: number;
  group: number;
  auth?: string;
  virtualIp: string;
}): Uint8Array {
  return concat(
    Uint8Array.of(0, o.opcode, o.state, o.hellotime, o.holdtime, o.priority, o.group, 0),
    authField(o.auth ?? 'cisco'),
    ipv4Addr(o.virtualIp),
  );
}

/**
 * HSRPv2 group-state TLV (type 1, length 40), optionally followed by a text
 * authentication TLV. UDP 1985 for IPv4, 2029 for IPv6. Times are in ms.
 */
export function hsrpV2(o: {
  opcode: number;
  state: number;
  group: number;
  identifier: string;
  priority: number;
  hellotime: number;
  holdtime: number;
  virtualIp: string;
  auth?: string;
}): Uint8Array {
  const v6 = o.virtualIp.includes(':');
  const vip = new Uint8Array(16);
  vip.set(v6 ? ipv6Addr(o.virtualIp) : ipv4Addr(o.virtualIp));
  const groupState = concat(
    Uint8Array.of(1, 40, 2, o.opcode, o.state, v6 ? 6 : 4),
    u16(o.group),
    mac(o.identifier),
    u32(o.priority),
    u32(o.hellotime),
    u32(o.holdtime),
    vip,
  );
  return o.auth === undefined ? groupState : concat(groupState, Uint8Array.of(3, 8), authField(o.auth));
}

/** IP protocol 112 payload (dst 224.0.0.18, TTL 255); no authentication. */
export function vrrpV2(o: { vrid: number; priority: number; addresses: string[]; advertInt: number }): Uint8Array {
  const msg = concat(
    Uint8Array.of(0x21, o.vrid, o.priority, o.addresses.length, 0, o.advertInt),
    u16(0),
    ...o.addresses.map(ipv4Addr),
    new Uint8Array(8),
  );
  setU16(msg, 6, internetChecksum(msg));
  return msg;
}

/**
 * RFC 5798 message; `maxAdvertInt` is in centiseconds. The addresses must all
 * be of the carrying IP version. Checksum left zero: ipv4()/ipv6() fill it.
 */
export function vrrpV3(o: { vrid: number; priority: number; addresses: string[]; maxAdvertInt: number }): Uint8Array {
  const addrs = o.addresses.map((a) => (a.includes(':') ? ipv6Addr(a) : ipv4Addr(a)));
  return concat(
    Uint8Array.of(0x31, o.vrid, o.priority, addrs.length),
    u16(o.maxAdvertInt & 0xfff),
    u16(0),
    ...addrs,
  );
}
