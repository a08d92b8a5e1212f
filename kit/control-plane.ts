// Address resolution and the L2/L3 redundancy protocols the timeline's views are about:
// ARP, IPv6 neighbour discovery, LACP, HSRP and VRRP. Each returns the payload its carrier
// expects (an EtherType, an IP protocol or a UDP port); the comments name the carrier.
import { ascii, concat, ipAddr, ipv4Addr, ipv6Addr, mac, setU16, u16, u32, type Addr } from './bytes.ts';
import { internetChecksum } from './checksum.ts';

/** EtherType 0x0806, for IPv4 over Ethernet. */
export function arp(o: { op: number; senderMac: Addr; senderIp: Addr; targetMac: Addr; targetIp: Addr }): Uint8Array {
  return concat(u16(1), u16(0x0800), Uint8Array.of(6, 4), u16(o.op), mac(o.senderMac), ipv4Addr(o.senderIp), mac(o.targetMac), ipv4Addr(o.targetIp));
}

// ---- IPv6 neighbour discovery (RFC 4861): ICMPv6, checksum left zero for ipv6() ----------

/** A link-layer address option: 1 source, 2 target; its length counts 8-byte units. */
function linkAddrOption(type: 1 | 2, addr: Addr): Uint8Array {
  return concat(Uint8Array.of(type, 1), mac(addr));
}

export function neighborSolicitation(o: { target: Addr; sourceMac: Addr }): Uint8Array {
  return concat(Uint8Array.of(135, 0), u16(0), u32(0), ipv6Addr(o.target), linkAddrOption(1, o.sourceMac));
}

/** NA flags: Router, Solicited, Override. */
export const NA_ROUTER = 0x80000000;
export const NA_SOLICITED = 0x40000000;
export const NA_OVERRIDE = 0x20000000;

export function neighborAdvertisement(o: { flags: number; target: Addr; targetMac: Addr }): Uint8Array {
  return concat(Uint8Array.of(136, 0), u16(0), u32(o.flags), ipv6Addr(o.target), linkAddrOption(2, o.targetMac));
}

// ---- LACP ---------------------------------------------------------------------------

export interface LacpActorInfo {
  systemPriority: number;
  system: Addr;
  key: number;
  portPriority: number;
  port: number;
  state: number;
}

function lacpInfoTlv(type: number, i: LacpActorInfo): Uint8Array {
  return concat(Uint8Array.of(type, 20), u16(i.systemPriority), mac(i.system), u16(i.key), u16(i.portPriority), u16(i.port), Uint8Array.of(i.state, 0, 0, 0));
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

// ---- HSRP ---------------------------------------------------------------------------

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
  virtualIp: Addr;
}): Uint8Array {
  return concat(Uint8Array.of(0, o.opcode, o.state, o.hellotime, o.holdtime, o.priority, o.group, 0), authField(o.auth ?? 'cisco'), ipv4Addr(o.virtualIp));
}

/**
 * HSRPv2 group-state TLV (type 1, length 40), optionally followed by a text
 * authentication TLV. UDP 1985 for IPv4, 2029 for IPv6. Times are in ms.
 */
export function hsrpV2(o: {
  opcode: number;
  state: number;
  group: number;
  identifier: Addr;
  priority: number;
  hellotime: number;
  holdtime: number;
  virtualIp: Addr;
  auth?: string;
}): Uint8Array {
  const addr = ipAddr(o.virtualIp);
  const vip = new Uint8Array(16);
  vip.set(addr);
  const groupState = concat(
    Uint8Array.of(1, 40, 2, o.opcode, o.state, addr.length === 16 ? 6 : 4),
    u16(o.group),
    mac(o.identifier),
    u32(o.priority),
    u32(o.hellotime),
    u32(o.holdtime),
    vip,
  );
  return o.auth === undefined ? groupState : concat(groupState, Uint8Array.of(3, 8), authField(o.auth));
}

// ---- VRRP ---------------------------------------------------------------------------

/** IP protocol 112 payload (dst 224.0.0.18, TTL 255); no authentication. */
export function vrrpV2(o: { vrid: number; priority: number; addresses: Addr[]; advertInt: number }): Uint8Array {
  const msg = concat(Uint8Array.of(0x21, o.vrid, o.priority, o.addresses.length, 0, o.advertInt), u16(0), ...o.addresses.map(ipv4Addr), new Uint8Array(8));
  setU16(msg, 6, internetChecksum(msg));
  return msg;
}

/**
 * RFC 5798 message; `maxAdvertInt` is in centiseconds. The addresses must all
 * be of the carrying IP version. Checksum left zero: ipv4()/ipv6() fill it.
 */
export function vrrpV3(o: { vrid: number; priority: number; addresses: Addr[]; maxAdvertInt: number }): Uint8Array {
  const addrs = o.addresses.map(ipAddr);
  return concat(Uint8Array.of(0x31, o.vrid, o.priority, addrs.length), u16(o.maxAdvertInt & 0xfff), u16(0), ...addrs);
}
