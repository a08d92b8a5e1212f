/**
 * The walk from the link layer up, chaining the decoders in this folder the way Wireshark hands
 * a frame from one dissector to the next (EtherType, LLC SAP, SNAP PID, IP protocol, UDP port).
 * One object per frame, built only for the frames a user looks at (Info text, detail tree).
 */
import { decodeArp, type Arp } from './arp.ts';
import { decodeCdp, type Cdp } from './cdp.ts';
import { decodeLink, u16, type LinkLayer } from './ethernet.ts';
import { hsrpVersionFor, decodeHsrp, decodeHsrp2, type Hsrp, type Hsrp2 } from './hsrp.ts';
import { decodeIcmp, type Icmp } from './icmp.ts';
import { decodeIcmpv6, type Icmpv6 } from './icmpv6.ts';
import { decodeIpv4, decodeIpv6, isFragment, type Ipv4, type Ipv6 } from './ip.ts';
import { decodeLacp, decodeMarker, type Lacp, type Marker } from './lacp.ts';
import { decodeLldp, type Lldp } from './lldp.ts';
import { decodeStp, type Stp } from './stp.ts';
import { decodeTcp, type Tcp } from './tcp.ts';
import { decodeUdp, type Udp } from './udp.ts';
import { decodeVrrp, type Vrrp } from './vrrp.ts';

export interface Stack {
  /** The frame's first byte and the end of its captured bytes. */
  start: number;
  end: number;
  linkType: number;
  link: LinkLayer | null;
  /** MPLS label stack entries (offsets), bottom of stack last. */
  mpls: number[];
  arp: Arp | null;
  /** The slow-protocols subtype byte, or -1. */
  slowSubtype: number;
  lacp: Lacp | null;
  marker: Marker | null;
  stp: Stp | null;
  cdp: Cdp | null;
  lldp: Lldp | null;
  ip4: Ipv4 | null;
  ip6: Ipv6 | null;
  /** Wireshark's words for an IP header it refuses ("Bogus IP length ..."), else ''. */
  ipError: string;
  /** The IP payload's protocol and where it starts and ends (reported end may pass the captured end). */
  ipProtocol: number;
  transportAt: number;
  transportEnd: number;
  /** True when an IPv4/IPv6 fragment other than a whole datagram: no transport header is decoded. */
  fragment: boolean;
  /** A first fragment decoded as if whole (Wireshark could not queue it): lengths beyond it are expected. */
  partial: boolean;
  tcp: Tcp | null;
  udp: Udp | null;
  icmp: Icmp | null;
  icmpv6: Icmpv6 | null;
  vrrp: Vrrp | null;
  hsrp: Hsrp | null;
  hsrp2: Hsrp2 | null;
}

export function dissect(b: Uint8Array, start: number, capLen: number, linkType: number): Stack {
  const end = Math.min(b.length, start + capLen);
  const s: Stack = {
    start,
    end,
    linkType,
    link: null,
    mpls: [],
    arp: null,
    slowSubtype: -1,
    lacp: null,
    marker: null,
    stp: null,
    cdp: null,
    lldp: null,
    ip4: null,
    ip6: null,
    ipError: '',
    ipProtocol: -1,
    transportAt: -1,
    transportEnd: -1,
    fragment: false,
    partial: false,
    tcp: null,
    udp: null,
    icmp: null,
    icmpv6: null,
    vrrp: null,
    hsrp: null,
    hsrp2: null,
  };
  s.link = decodeLink(b, start, end, linkType);
  if (s.link) network(b, s, s.link);
  return s;
}

function network(b: Uint8Array, s: Stack, link: LinkLayer): void {
  const p = link.payloadAt;
  const end = Math.min(s.end, link.payloadEnd);
  const llc = link.llc;
  if (llc && llc.dsap === 0x42 && llc.ssap === 0x42) s.stp = decodeStp(b, p, end);
  else if (llc && llc.oui === 0x00000c && llc.pid === 0x2000) s.cdp = decodeCdp(b, p, end);
  else if (llc && llc.oui === 0x00000c && llc.pid === 0x010b) s.stp = decodeStp(b, p, end);
  switch (link.etherType) {
    case 0x0800:
      return ipv4(b, s, p, end);
    case 0x86dd:
      return ipv6(b, s, p, end);
    case 0x0806:
    case 0x8035:
      s.arp = decodeArp(b, p, end);
      return;
    case 0x8809:
      if (end > p) s.slowSubtype = b[p];
      s.lacp = decodeLacp(b, p, end);
      s.marker = decodeMarker(b, p, end);
      return;
    case 0x88cc:
      s.lldp = decodeLldp(b, p, end);
      return;
    case 0x8847:
    case 0x8848:
      return mpls(b, s, p, end);
  }
}

/** RFC 3032 label stack; after the bottom entry the payload is IP, told apart by its version nibble. */
function mpls(b: Uint8Array, s: Stack, p: number, end: number): void {
  for (; end - p >= 4; p += 4) {
    s.mpls.push(p);
    if (b[p + 2] & 1) break;
  }
  p += 4;
  if (p >= end || !(b[p - 2] & 1)) return;
  if (b[p] >> 4 === 4) ipv4(b, s, p, end);
  else if (b[p] >> 4 === 6) ipv6(b, s, p, end);
}

function ipv4(b: Uint8Array, s: Stack, p: number, end: number): void {
  s.ipError = ipv4Error(b, p, end);
  const ip = s.ipError ? null : decodeIpv4(b, p, end);
  if (!ip) return;
  s.ip4 = ip;
  s.fragment = isFragment(ip) && heldForReassembly(ip.fragmentOffset, ip.payloadAt, ip.payloadEnd, s.end);
  s.partial = isFragment(ip) && !s.fragment;
  transport(b, s, ip.protocol, ip.payloadAt, ip.payloadEnd, 4, ip.dst);
}

function ipv4Error(b: Uint8Array, p: number, end: number): string {
  if (end - p < 1) return '';
  if (b[p] >> 4 !== 4) return `Bogus IPv4 version (${b[p] >> 4}, must be 4)`;
  const headerBytes = (b[p] & 0x0f) * 4;
  if (headerBytes < 20) return `Bogus IP header length (${headerBytes}, must be at least 20)`;
  if (end - p < 4) return '';
  const length = u16(b, p + 2);
  if (length !== 0 && length < headerBytes) return `Bogus IP length (${length}, less than header length ${headerBytes})`;
  return '';
}

function ipv6(b: Uint8Array, s: Stack, p: number, end: number): void {
  const ip = decodeIpv6(b, p, end);
  if (!ip) return;
  s.ip6 = ip;
  const fragment = ip.moreFragments || ip.fragmentOffset !== 0;
  s.fragment = fragment && heldForReassembly(ip.fragmentOffset, ip.payloadAt, ip.payloadEnd, s.end);
  s.partial = fragment && !s.fragment;
  transport(b, s, ip.protocol, ip.payloadAt, ip.payloadEnd, 6, 0);
}

/**
 * Wireshark queues a fragment for reassembly only when all its bytes were captured; a first
 * fragment it cannot queue is dissected as if it were the whole datagram.
 */
function heldForReassembly(fragmentOffset: number, payloadAt: number, payloadEnd: number, capturedEnd: number): boolean {
  return fragmentOffset !== 0 || (payloadEnd > payloadAt && payloadEnd <= capturedEnd);
}

function transport(b: Uint8Array, s: Stack, protocol: number, at: number, reportedEnd: number, ipVersion: 4 | 6, dstIpv4: number): void {
  s.ipProtocol = protocol;
  s.transportAt = at;
  s.transportEnd = reportedEnd;
  if (s.fragment) return;
  const end = Math.min(s.end, reportedEnd);
  switch (protocol) {
    case 6:
      s.tcp = decodeTcp(b, at, end, reportedEnd);
      return;
    case 17:
      s.udp = decodeUdp(b, at, end, reportedEnd);
      if (s.udp) udpPayload(b, s, s.udp, ipVersion, dstIpv4);
      return;
    case 1:
      s.icmp = decodeIcmp(b, at, end);
      return;
    case 58:
      s.icmpv6 = decodeIcmpv6(b, at, end);
      return;
    case 112:
      s.vrrp = decodeVrrp(b, at, end, ipVersion);
  }
}

function udpPayload(b: Uint8Array, s: Stack, udp: Udp, ipVersion: 4 | 6, dstIpv4: number): void {
  const end = Math.min(s.end, udp.payloadEnd);
  const version = hsrpVersionFor(udp.dstPort, ipVersion, dstIpv4);
  if (version === 1) s.hsrp = decodeHsrp(b, udp.payloadAt, end);
  else if (version === 2) s.hsrp2 = decodeHsrp2(b, udp.payloadAt, end);
}
