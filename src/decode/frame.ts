/**
 * Decodes the headers the store indexes, from the link layer to the transport ports, in
 * one pass over the frame bytes. Reads are bounds-checked against the captured length: a
 * frame too short for a header it claims is marked malformed at that layer, never thrown.
 */
import { type FrameFields, Malformed } from './frame-fields.ts';
import { ProtocolClass, classForPorts } from './protocol-class.ts';

const MAX_VLAN_TAGS = 8;

export function decodeFrame(b: Uint8Array, start: number, capLen: number, linkType: number, f: FrameFields): void {
  f.reset();
  const end = start + capLen;
  switch (linkType) {
    case 1:
      return ethernet(b, start, end, f);
    case 113:
      return linuxCooked(b, start, end, f, 16, 14, 2, 6);
    case 276:
      return linuxCooked(b, start, end, f, 20, 0, 11, 12);
    case 0:
    case 108:
      return loopback(b, start, end, f, linkType === 108);
    case 12:
    case 14:
    case 101:
      return rawIp(b, start, end, f);
    case 228:
      return ipv4(b, start, end, f);
    case 229:
      return ipv6(b, start, end, f);
  }
}

function ethernet(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  if (end - p < 14) {
    f.malformed = Malformed.Link;
    return;
  }
  f.hasMac = true;
  f.macDstHi = (b[p] << 8) | b[p + 1];
  f.macDstLo = ((b[p + 2] << 24) | (b[p + 3] << 16) | (b[p + 4] << 8) | b[p + 5]) >>> 0;
  f.macSrcHi = (b[p + 6] << 8) | b[p + 7];
  f.macSrcLo = ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0;
  etherTyped(b, p + 14, end, (b[p + 12] << 8) | b[p + 13], f);
}

/** SLL (16-byte header) and SLL2 (20 bytes): the protocol field is an EtherType. */
function linuxCooked(b: Uint8Array, p: number, end: number, f: FrameFields, headerBytes: number, protocolAt: number, halenAt: number, addrAt: number): void {
  if (end - p < headerBytes) {
    f.malformed = Malformed.Link;
    return;
  }
  if (b[p + halenAt] === 6) {
    f.hasMac = true;
    const a = p + addrAt;
    f.macSrcHi = (b[a] << 8) | b[a + 1];
    f.macSrcLo = ((b[a + 2] << 24) | (b[a + 3] << 16) | (b[a + 4] << 8) | b[a + 5]) >>> 0;
  }
  const protocol = (b[p + protocolAt] << 8) | b[p + protocolAt + 1];
  // Values below 0x0600 are Linux's pseudo-protocols (802.3 raw, 802.2 LLC, ...), not EtherTypes.
  if (protocol === 0x0004) return llc(b, p + headerBytes, end, f);
  if (protocol < 0x0600) return;
  etherTyped(b, p + headerBytes, end, protocol, f);
}

/** BSD loopback: a 4-byte address family, host byte order (NULL) or network order (LOOP). */
function loopback(b: Uint8Array, p: number, end: number, f: FrameFields, networkOrder: boolean): void {
  if (end - p < 4) {
    f.malformed = Malformed.Link;
    return;
  }
  const le = !networkOrder && b[p] !== 0;
  const family = le ? b[p] | (b[p + 1] << 8) : (b[p + 2] << 8) | b[p + 3];
  if (family === 2) return ipv4(b, p + 4, end, f);
  if (family === 24 || family === 28 || family === 30) return ipv6(b, p + 4, end, f);
}

function rawIp(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  if (end - p < 1) {
    f.malformed = Malformed.Network;
    return;
  }
  const version = b[p] >> 4;
  if (version === 4) ipv4(b, p, end, f);
  else if (version === 6) ipv6(b, p, end, f);
}

function etherTyped(b: Uint8Array, p: number, end: number, type: number, f: FrameFields): void {
  while ((type === 0x8100 || type === 0x88a8 || type === 0x9100) && f.vlanCount < MAX_VLAN_TAGS) {
    if (end - p < 4) {
      f.malformed = Malformed.Link;
      return;
    }
    const vid = ((b[p] & 0x0f) << 8) | b[p + 1];
    if (f.vlanCount === 0) f.vlanOuter = vid;
    else if (f.vlanCount === 1) f.vlanInner = vid;
    f.vlanCount++;
    type = (b[p + 2] << 8) | b[p + 3];
    p += 4;
  }
  if (type < 0x0600) return llc(b, p, end, f);
  network(b, p, end, type, f);
}

/** 802.3 frames: 802.2 LLC, with SNAP carrying an EtherType or a vendor protocol. */
function llc(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  if (end - p < 3) {
    f.malformed = Malformed.Link;
    return;
  }
  const dsap = b[p];
  const ssap = b[p + 1];
  if (dsap === 0x42 && ssap === 0x42) {
    f.protocolClass = ProtocolClass.Stp;
    return;
  }
  if (dsap !== 0xaa || ssap !== 0xaa) return;
  if (end - p < 8) {
    f.malformed = Malformed.Link;
    return;
  }
  const oui = (b[p + 3] << 16) | (b[p + 4] << 8) | b[p + 5];
  const pid = (b[p + 6] << 8) | b[p + 7];
  if (oui === 0x00000c) {
    if (pid === 0x2000) f.protocolClass = ProtocolClass.Cdp;
    else if (pid === 0x010b) f.protocolClass = ProtocolClass.Stp; // Cisco PVST+
    return;
  }
  if (oui === 0) {
    f.snap = true;
    network(b, p + 8, end, pid, f);
  }
}

function network(b: Uint8Array, p: number, end: number, type: number, f: FrameFields): void {
  f.etherType = type;
  switch (type) {
    case 0x0800:
      return ipv4(b, p, end, f);
    case 0x86dd:
      return ipv6(b, p, end, f);
    case 0x0806:
      f.protocolClass = ProtocolClass.Arp;
      return arp(b, p, end, f);
    case 0x8035:
      f.protocolClass = ProtocolClass.Rarp;
      return arp(b, p, end, f);
    case 0x8809:
      return slowProtocol(b, p, end, f);
    case 0x88cc:
      f.protocolClass = ProtocolClass.Lldp;
      return;
    case 0x8847:
    case 0x8848:
      return mpls(b, p, end, f);
  }
}

function arp(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  if (end - p < 8) {
    f.malformed = Malformed.Network;
    return;
  }
  f.portA = (b[p + 6] << 8) | b[p + 7];
  const hlen = b[p + 4];
  const plen = b[p + 5];
  // Only IPv4-over-anything ARP carries addresses we index; others keep the opcode alone.
  if (plen !== 4 || ((b[p + 2] << 8) | b[p + 3]) !== 0x0800) return;
  const senderIp = p + 8 + hlen;
  const targetIp = senderIp + 4 + hlen;
  if (targetIp + 4 > end) {
    f.malformed = Malformed.Network;
    return;
  }
  f.ip4Src = u32(b, senderIp);
  f.ip4Dst = u32(b, targetIp);
  f.arpFixedLayout = hlen === 6;
}

function slowProtocol(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  if (end - p < 1) {
    f.malformed = Malformed.Network;
    return;
  }
  const subtype = b[p];
  f.portA = subtype;
  f.protocolClass = subtype === 1 ? ProtocolClass.Lacp : subtype === 2 ? ProtocolClass.Marker : ProtocolClass.SlowOther;
}

function mpls(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  while (end - p >= 4) {
    const bottom = b[p + 2] & 1;
    p += 4;
    if (bottom) {
      if (end - p >= 1 && b[p] >> 4 === 4) ipv4(b, p, end, f);
      else if (end - p >= 1 && b[p] >> 4 === 6) ipv6(b, p, end, f);
      return;
    }
  }
  f.malformed = Malformed.Network;
}

function ipv4(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  const ihl = (b[p] & 0x0f) * 4;
  if (end - p < 20 || b[p] >> 4 !== 4 || ihl < 20) {
    f.malformed = Malformed.Network;
    return;
  }
  f.ipVersion = 4;
  f.protocolClass = ProtocolClass.IPv4;
  f.ipProto = b[p + 9];
  f.ip4Src = u32(b, p + 12);
  f.ip4Dst = u32(b, p + 16);
  const fragmentOffset = ((b[p + 6] & 0x1f) << 8) | b[p + 7];
  const totalLength = (b[p + 2] << 8) | b[p + 3];
  // Later fragments carry no transport header; tcpdump's `tcp` still matches them by protocol.
  transport(b, p + ihl, end, f, fragmentOffset === 0, p + totalLength);
}

function ipv6(b: Uint8Array, p: number, end: number, f: FrameFields): void {
  if (end - p < 40 || b[p] >> 4 !== 6) {
    f.malformed = Malformed.Network;
    return;
  }
  f.ipVersion = 6;
  f.protocolClass = ProtocolClass.IPv6;
  f.ip6SrcAt = p + 8;
  f.ip6DstAt = p + 24;
  let next = b[p + 6];
  let q = p + 40;
  const payloadEnd = q + ((b[p + 4] << 8) | b[p + 5]);
  let firstFragment = true;
  for (;;) {
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (end - q < 2) break;
      const n = b[q];
      q += (b[q + 1] + 1) * 8;
      next = n;
    } else if (next === 44) {
      if (end - q < 8) break;
      firstFragment = (((b[q + 2] << 8) | b[q + 3]) & 0xfff8) === 0;
      next = b[q];
      q += 8;
    } else if (next === 51) {
      if (end - q < 2) break;
      const n = b[q];
      q += (b[q + 1] + 2) * 4;
      next = n;
    } else {
      f.ipProto = next;
      f.ip6ExtHeaders = q !== p + 40;
      return transport(b, q, end, f, firstFragment, payloadEnd);
    }
  }
  f.ipProto = next;
  f.malformed = Malformed.Network;
}

/** `ipEnd` is where the IP packet ends by its own length field, which may lie past the capture. */
function transport(b: Uint8Array, q: number, end: number, f: FrameFields, hasHeader: boolean, ipEnd: number): void {
  switch (f.ipProto) {
    case 6:
      f.protocolClass = ProtocolClass.Tcp;
      if (!hasHeader) return;
      if (end - q < 20) {
        f.malformed = Malformed.Transport;
        return;
      }
      f.portA = (b[q] << 8) | b[q + 1];
      f.portB = (b[q + 2] << 8) | b[q + 3];
      f.tcpHeader = true;
      f.tcpFlags = b[q + 13];
      f.tcpSeq = u32(b, q + 4);
      f.tcpAck = u32(b, q + 8);
      f.tcpWindow = (b[q + 14] << 8) | b[q + 15];
      f.tcpPayloadBytes = Math.max(0, ipEnd - q - (b[q + 12] >> 4) * 4);
      if (f.tcpFlags & 0x02) f.tcpWindowScale = windowScaleOption(b, q, Math.min(end, q + (b[q + 12] >> 4) * 4));
      f.protocolClass = classForPorts(ProtocolClass.Tcp, f.portA, f.portB, f.ipVersion);
      return;
    case 17:
      f.protocolClass = ProtocolClass.Udp;
      if (!hasHeader) return;
      if (end - q < 8) {
        f.malformed = Malformed.Transport;
        return;
      }
      f.portA = (b[q] << 8) | b[q + 1];
      f.portB = (b[q + 2] << 8) | b[q + 3];
      f.protocolClass = classForPorts(ProtocolClass.Udp, f.portA, f.portB, f.ipVersion);
      return;
    case 1:
    case 58:
      f.protocolClass = f.ipProto === 1 ? ProtocolClass.Icmp : ProtocolClass.Icmpv6;
      if (!hasHeader) return;
      if (end - q < 2) {
        f.malformed = Malformed.Transport;
        return;
      }
      f.portA = b[q];
      f.portB = b[q + 1];
      return;
    case 2:
      f.protocolClass = ProtocolClass.Igmp;
      return;
    case 47:
      f.protocolClass = ProtocolClass.Gre;
      return;
    case 112:
      f.protocolClass = ProtocolClass.Vrrp;
      return;
    case 132:
      f.protocolClass = ProtocolClass.Sctp;
      return;
  }
}

/** The window-scale option (kind 3) of a SYN's TCP options, or -1. */
function windowScaleOption(b: Uint8Array, q: number, optionsEnd: number): number {
  for (let p = q + 20; p < optionsEnd; ) {
    const kind = b[p];
    if (kind === 0) break;
    if (kind === 1) {
      p++;
      continue;
    }
    if (p + 1 >= optionsEnd || b[p + 1] < 2) break;
    if (kind === 3 && b[p + 1] === 3 && p + 2 < optionsEnd) return Math.min(14, b[p + 2]);
    p += b[p + 1];
  }
  return -1;
}

function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}
