/**
 * The detail pane's tree for one frame: one node per header field, labelled as Wireshark labels
 * it, each with the byte range (relative to the frame's first byte) the hex pane highlights.
 * Children lie inside their parent; nothing reaches past the captured bytes.
 *
 * MACs print with their vendor ("Cisco_12:0f:0d (00:13:c4:12:0f:0d)") once `loadOui()` has
 * resolved; before that, as plain addresses.
 */
import { arpTree } from './protocols/arp.ts';
import { cdpTree } from './protocols/cdp.ts';
import { ETHERTYPE_NAMES, Tree, bitsLabel, hex, macAt, u16, type DetailNode, type LinkLayer, type VlanTag } from './protocols/ethernet.ts';
import { hsrp2Tree, hsrpTree } from './protocols/hsrp.ts';
import { icmpTree, isIcmpError } from './protocols/icmp.ts';
import { icmpv6Tree } from './protocols/icmpv6.ts';
import { decodeIpv4, ipv4Tree, ipv6Tree } from './protocols/ip.ts';
import { SLOW_SUBTYPE_NAMES, lacpTree, markerTree } from './protocols/lacp.ts';
import { lldpTree } from './protocols/lldp.ts';
import { dissect, type Stack } from './protocols/stack.ts';
import { stpTree } from './protocols/stp.ts';
import { tcpTree } from './protocols/tcp.ts';
import { udpTree } from './protocols/udp.ts';
import { vrrpTree } from './protocols/vrrp.ts';
import { vendorMac } from './oui.ts';

export type { DetailNode } from './protocols/ethernet.ts';

export function packetDetails(bytes: Uint8Array, start: number, capLen: number, linkType: number): DetailNode[] {
  const s = dissect(bytes, start, capLen, linkType);
  const t = new Tree(start, s.end);
  const name = (at: number) => vendorMac(bytes, at);
  const nodes = s.link ? linkNodes(bytes, s.link, t, name) : [];
  for (const at of s.mpls) nodes.push(mplsNode(bytes, at, t));
  nodes.push(...networkNodes(bytes, s, t, name));
  nodes.push(...transportNodes(bytes, s, t));
  const last = nodes.reduce((max, n) => Math.max(max, n.end), 0);
  if (start + last < s.end && nodes.length)
    nodes.push(t.node(`${s.ip4 || s.ip6 || s.arp ? 'Padding' : 'Data'} (${s.end - start - last} bytes)`, start + last, s.end - start - last));
  return nodes;
}

function linkNodes(b: Uint8Array, link: LinkLayer, t: Tree, name: (at: number) => string): DetailNode[] {
  const nodes: DetailNode[] = [];
  if (link.kind === 'ethernet') nodes.push(ethernetNode(b, link, t, name));
  else if (link.kind === 'sll' || link.kind === 'sll2') nodes.push(sllNode(b, link, t, name));
  else if (link.kind === 'loopback')
    nodes.push(t.node(`Null/Loopback, Family: ${link.etherType === 0x86dd ? 'IPv6' : link.etherType === 0x0800 ? 'IP' : 'Unknown'}`, link.start, 4));
  for (const tag of link.tags) nodes.push(vlanNode(b, tag, t));
  if (link.llc) nodes.push(llcNode(link, t));
  return nodes;
}

function typeText(type: number): string {
  return `Type: ${ETHERTYPE_NAMES[type] ?? 'Unknown'} (${hex(type, 4)})`;
}

function ethernetNode(b: Uint8Array, link: LinkLayer, t: Tree, name: (at: number) => string): DetailNode {
  const dst = `${name(link.dstAt)} (${macAt(b, link.dstAt)})`;
  const src = `${name(link.srcAt)} (${macAt(b, link.srcAt)})`;
  const type = u16(b, link.start + 12);
  const ieee8023 = type < 0x0600;
  return t.node(`${ieee8023 ? 'IEEE 802.3 Ethernet' : 'Ethernet II'}, Src: ${src}, Dst: ${dst}`, link.start, 14, [
    t.node(`Destination: ${dst}`, link.dstAt, 6),
    t.node(`Source: ${src}`, link.srcAt, 6),
    t.node(ieee8023 ? `Length: ${type}` : typeText(type), link.start + 12, 2),
  ]);
}

const PCP = [
  'Best Effort (default)',
  'Background',
  'Excellent Effort',
  'Critical Applications',
  'Video, < 100ms latency and jitter',
  'Voice, < 10ms latency and jitter',
  'Internetwork Control',
  'Network Control',
];

/** The tag's TCI and the type after it, as Wireshark's 802.1Q / 802.1ad trees show them. */
function vlanNode(b: Uint8Array, tag: VlanTag, t: Tree): DetailNode {
  const at = tag.at + 2;
  const tci = u16(b, at);
  const next = u16(b, at + 2);
  const title = tag.tpid === 0x88a8 ? `IEEE 802.1ad, ID: ${tag.vid}` : `802.1Q Virtual LAN, PRI: ${tag.pcp}, DEI: ${tag.dei}, ID: ${tag.vid}`;
  return t.node(title, at, 4, [
    t.node(`${bitsLabel(tci, 0xe000, 16)}Priority: ${PCP[tag.pcp]} (${tag.pcp})`, at, 2),
    t.node(`${bitsLabel(tci, 0x1000, 16)}DEI: ${tag.dei ? 'Eligible' : 'Ineligible'}`, at, 2),
    t.node(`${bitsLabel(tci, 0x0fff, 16)}ID: ${tag.vid}`, at, 2),
    t.node(next < 0x0600 ? `Length: ${next}` : typeText(next), at + 2, 2),
  ]);
}

function llcNode(link: LinkLayer, t: Tree): DetailNode {
  const l = link.llc!;
  const c = [
    t.node(`DSAP: ${hex(l.dsap, 2)}`, l.at, 1),
    t.node(`SSAP: ${hex(l.ssap, 2)}`, l.at + 1, 1),
    t.node(`Control field: ${l.control === 0x03 ? 'U, func=UI' : 'other'} (${hex(l.control, 2)})`, l.at + 2, 1),
  ];
  if (l.oui >= 0) {
    c.push(t.node(`Organization Code: ${hex(l.oui, 6)}`, l.at + 3, 3), t.node(`PID: ${hex(l.pid, 4)}`, l.at + 6, 2));
  }
  return t.node('Logical-Link Control', l.at, l.oui >= 0 ? 8 : 3, c);
}

function sllNode(b: Uint8Array, link: LinkLayer, t: Tree, name: (at: number) => string): DetailNode {
  const v2 = link.kind === 'sll2';
  const c: DetailNode[] = [];
  if (link.srcAt >= 0) c.push(t.node(`Source: ${name(link.srcAt)} (${macAt(b, link.srcAt)})`, link.srcAt, 6));
  c.push(t.node(`Protocol: ${hex(u16(b, link.typeAt), 4)}`, link.typeAt, 2));
  return t.node(`Linux cooked capture v${v2 ? 2 : 1}`, link.start, v2 ? 20 : 16, c);
}

function mplsNode(b: Uint8Array, at: number, t: Tree): DetailNode {
  const word = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  return t.node(`MultiProtocol Label Switching Header, Label: ${word >>> 12}, Exp: ${(word >> 9) & 7}, S: ${(word >> 8) & 1}, TTL: ${word & 0xff}`, at, 4);
}

function networkNodes(b: Uint8Array, s: Stack, t: Tree, name: (at: number) => string): DetailNode[] {
  const nodes: DetailNode[] = [];
  const end = s.link ? Math.min(s.end, s.link.payloadEnd) : s.end;
  if (s.arp) nodes.push(arpTree(b, s.arp, end, t, name));
  if (s.slowSubtype >= 0) {
    const at = s.link!.payloadAt;
    const subtype = `Slow Protocols subtype: ${SLOW_SUBTYPE_NAMES[s.slowSubtype] ?? 'Unknown'} (${hex(s.slowSubtype, 2)})`;
    nodes.push(t.node('Slow Protocols', at, 1, [t.node(subtype, at, 1)]));
  }
  if (s.lacp) nodes.push(lacpTree(b, s.lacp, end, t, name));
  if (s.marker) nodes.push(markerTree(s.marker, t, name));
  if (s.stp) nodes.push(stpTree(s.stp, t));
  if (s.cdp) nodes.push(cdpTree(s.cdp, t));
  if (s.lldp) nodes.push(lldpTree(s.lldp, t));
  if (s.ip4) nodes.push(ipv4Tree(b, s.ip4, t));
  if (s.ip6) nodes.push(ipv6Tree(b, s.ip6, t));
  if (s.ipError && s.link) nodes.push(t.node(`Internet Protocol: ${s.ipError}`, s.link.payloadAt, s.end - s.link.payloadAt));
  return nodes;
}

function transportNodes(b: Uint8Array, s: Stack, t: Tree): DetailNode[] {
  const end = Math.min(s.end, s.transportEnd);
  const nodes: DetailNode[] = [];
  if (s.fragment && end > s.transportAt) nodes.push(t.node(`Fragment data (${end - s.transportAt} bytes)`, s.transportAt, end - s.transportAt));
  if (s.tcp) nodes.push(tcpTree(b, s.tcp, end, t));
  if (s.udp) nodes.push(udpTree(s.udp, end, t));
  if (s.icmp) nodes.push(icmpTree(s.icmp, end, t, quotedIp(b, s, end, t)));
  if (s.icmpv6) nodes.push(icmpv6Tree(b, s.icmpv6, end, t));
  if (s.vrrp) nodes.push(vrrpTree(s.vrrp, end, t));
  if (s.hsrp) nodes.push(hsrpTree(b, s.hsrp, t));
  if (s.hsrp2) nodes.push(hsrp2Tree(b, s.hsrp2, t));
  return nodes;
}

/** An ICMP error quotes the IP header of the datagram it is about. */
function quotedIp(b: Uint8Array, s: Stack, end: number, t: Tree): DetailNode | null {
  if (!s.icmp || !isIcmpError(s.icmp.type)) return null;
  const ip = decodeIpv4(b, s.icmp.bodyAt, end);
  return ip ? ipv4Tree(b, ip, t) : null;
}
