/**
 * The packet list's Info column, worded as Wireshark words it (tshark 4.0's `_ws.col.Info`), for
 * one frame re-read from the file. Stateless: what needs other frames (TCP relative numbers and
 * analysis, ICMP request/reply pairing, ARP duplicate detection, reassembly) is either passed in
 * (TCP) or left out.
 *
 * A frame cut short where Wireshark would throw gets its suffix: "[Packet size limited during
 * capture]" when the capture's snap length cut it, "[Malformed Packet]" when the frame itself is
 * shorter than its headers say.
 */
import { isDecodedLinkType } from './link-types.ts';
import { arpInfo } from './protocols/arp.ts';
import { cdpInfo } from './protocols/cdp.ts';
import { ETHERTYPE_NAMES, macAt, type Llc } from './protocols/ethernet.ts';
import { HSRP2_OPCODES, HSRP2_STATES, HSRP_ADV_STATES, HSRP_OPCODES, HSRP_STATES, type Hsrp, type Hsrp2 } from './protocols/hsrp.ts';
import { ICMP_TYPE_NAMES, icmpCodeName, type Icmp } from './protocols/icmp.ts';
import { icmpv6Info } from './protocols/icmpv6.ts';
import { IP_PROTOCOL_NAMES } from './protocols/ip.ts';
import { lacpStateText, type Lacp, type LacpPort } from './protocols/lacp.ts';
import { lldpInfo } from './protocols/lldp.ts';
import { dissect, type Stack } from './protocols/stack.ts';
import { stpInfo } from './protocols/stp.ts';
import { tcpInfo, type TcpInfoState } from './protocols/tcp.ts';

export { TcpAnalysis, type TcpInfoState } from './protocols/tcp.ts';

export const SUFFIX_MALFORMED = '[Malformed Packet]';
export const SUFFIX_SNAPPED = '[Packet size limited during capture]';

/**
 * `tcp` carries what the ingest's flow state knows (relative numbers, window scale, analysis
 * flags); without it TCP numbers print absolute. `origLen` (default: capLen) tells a frame cut
 * by the snap length from a malformed one.
 */
export function packetInfo(bytes: Uint8Array, start: number, capLen: number, linkType: number, tcp?: TcpInfoState, origLen = capLen): string {
  const s = dissect(bytes, start, capLen, linkType);
  const short = origLen > capLen ? SUFFIX_SNAPPED : SUFFIX_MALFORMED;
  return stackInfo(bytes, s, tcp, short);
}

/** The Info text of an already dissected frame; `short` is the suffix for a cut-short header. */
export function stackInfo(b: Uint8Array, s: Stack, tcp: TcpInfoState | undefined, short: string): string {
  if (s.hsrp2) return hsrp2Info(s.hsrp2);
  if (s.hsrp) return hsrpInfo(s.hsrp);
  if (s.vrrp) return `Announcement (v${s.vrrp.version})`;
  if (s.tcp) return tcpInfo(b, s.tcp, s.end, tcp);
  if (s.udp) return udpInfo(s);
  if (s.icmp) return icmpInfo(s.icmp, s.ip4?.ttl ?? -1);
  if (s.icmpv6) return icmpv6Info(b, s.icmpv6, s.ip6?.hopLimit ?? -1);
  if (s.ip4 || s.ip6) return ipInfo(s, short);
  if (s.ipError) return s.ipError;
  if (s.arp) return arpInfo(b, s.arp, short);
  if (s.lacp) return lacpInfo(s.lacp);
  if (s.marker) return 'Marker Protocol';
  if (s.slowSubtype >= 0) return `Subtype = ${s.slowSubtype}`;
  if (s.stp) return stpInfo(s.stp);
  if (s.cdp) return cdpInfo(s.cdp);
  if (s.lldp) return lldpInfo(s.lldp);
  return linkInfo(b, s, short);
}

/** "v1 ACTOR 00:13:c4:12:0f:00 P: 22 K: 13 E****G*A PARTNER 00:0e:83:16:f5:00 P: 25 K: 13 **DC*GS*" */
function lacpInfo(lacp: Lacp): string {
  const side = (name: string, p: LacpPort) => ` ${name} ${p.system} P: ${p.port} K: ${p.key} ${lacpStateText(p.state)}`;
  return `v${lacp.version}${side('ACTOR', lacp.actor)}${side('PARTNER', lacp.partner)}`;
}

/** "Hello (state Active)"; an Advertise names its interface state. */
function hsrpInfo(h: Hsrp): string {
  const op = HSRP_OPCODES[h.opcode] ?? 'Unknown';
  if (h.opcode < 3) return `${op} (state ${HSRP_STATES[h.state] ?? 'Unknown'})`;
  if (h.opcode === 3 && h.advertise) return `${op} (state ${HSRP_ADV_STATES[h.advertise.state] ?? 'Unknown'})`;
  return op;
}

/** The last group-state or interface-state TLV sets the text, as each overwrites Wireshark's column. */
function hsrp2Info(h: Hsrp2): string {
  let text = '';
  for (const tlv of h.tlvs) {
    if (tlv.type === 1 && h.group) {
      text = `${HSRP2_OPCODES[h.group.opcode] ?? 'Unknown'} (state ${HSRP2_STATES[h.group.state] ?? 'Unknown'})`;
    } else if (tlv.type === 2 && h.interfaceState) {
      text = `Interface State TLV (Act=${h.interfaceState.activeGroups} Pass=${h.interfaceState.passiveGroups})`;
    }
  }
  return text;
}

function udpInfo(s: Stack): string {
  const u = s.udp!;
  const ports = `${u.srcPort} → ${u.dstPort}`;
  if (u.length === 0 && s.ip6) return `${ports} Len=${s.transportEnd - u.at - 8}`;
  if (u.length < 8) return `${ports} [BAD UDP LENGTH ${u.length} < 8]`;
  const tooLong = u.at + u.length > s.transportEnd && !s.partial ? ` [BAD UDP LENGTH ${u.length} > IP PAYLOAD LENGTH]` : '';
  return `${ports}${tooLong} Len=${u.length - 8}`;
}

/** "Echo (ping) request  id=0x0001, seq=1/256, ttl=255": the type padded to 20 characters. */
function icmpInfo(icmp: Icmp, ttl: number): string {
  const type = ICMP_TYPE_NAMES[icmp.type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const code = icmpCodeName(icmp.type, icmp.code);
  let text = type.padEnd(20) + (code ? ` (${code})` : '');
  if (icmp.id >= 0 && icmp.type < 42) {
    const seqLe = ((icmp.seq & 0xff) << 8) | (icmp.seq >> 8);
    text += ` id=0x${icmp.id.toString(16).padStart(4, '0')}, seq=${icmp.seq}/${seqLe}`;
    if (ttl >= 0 && (icmp.type === 0 || icmp.type === 8)) text += `, ttl=${ttl}`;
  }
  return text;
}

/** Fragments and protocols we do not decode: Wireshark's IP-layer texts. */
function ipInfo(s: Stack, short: string): string {
  const name = IP_PROTOCOL_NAMES[s.ipProtocol] ?? 'Unknown';
  if (s.fragment) {
    const offsetBytes = s.ip4 ? s.ip4.fragmentOffset * 8 : s.ip6!.fragmentOffset * 8;
    const id = s.ip4 ? s.ip4.id.toString(16).padStart(4, '0') : s.ip6!.fragmentId.toString(16).padStart(8, '0');
    // Reassembly reads the fragment by the frame's reported length: a snapped frame throws after the text.
    const cut = short === SUFFIX_SNAPPED ? short : '';
    return `Fragmented IP protocol (proto=${name} ${s.ipProtocol}, off=${offsetBytes}, ID=${id})${cut}`;
  }
  if ((s.ipProtocol === 6 || s.ipProtocol === 17 || s.ipProtocol === 1 || s.ipProtocol === 58) && s.transportAt >= s.end) return short;
  return s.ip6 ? `Unknown IP Protocol: ${name} (${s.ipProtocol})` : `${name} (${s.ipProtocol})`;
}

/** Frames whose network layer we do not decode. */
function linkInfo(b: Uint8Array, s: Stack, short: string): string {
  const link = s.link;
  if (!link) return isDecodedLinkType(s.linkType) ? short : '';
  if (link.etherType === 0x0800 || link.etherType === 0x86dd) return short;
  if (link.etherType >= 0) return ETHERTYPE_NAMES[link.etherType] ?? `Ethernet II`;
  if (link.llc) return llcInfo(link.llc);
  if (link.srcAt >= 0 && link.dstAt >= 0) return `${macAt(b, link.srcAt)} → ${macAt(b, link.dstAt)}`;
  return '';
}

/** "U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x2004" for the UI frames LANs carry. */
function llcInfo(llc: Llc): string {
  const frame = llc.control === 0x03 ? 'U, func=UI' : `Control 0x${hex2(llc.control)}`;
  if (llc.oui < 0) return `${frame}; DSAP 0x${hex2(llc.dsap)}, SSAP 0x${hex2(llc.ssap)}`;
  const oui = llc.oui.toString(16).toUpperCase().padStart(6, '0');
  const pid = llc.pid.toString(16).toUpperCase().padStart(4, '0');
  const name = SNAP_OUI_NAMES[llc.oui];
  return `${frame}; SNAP, OUI 0x${oui}${name ? ` (${name})` : ''}, PID 0x${pid}`;
}

const SNAP_OUI_NAMES: Readonly<Record<number, string>> = { 0x000000: 'Encapsulated Ethernet', 0x00000c: 'Cisco Systems, Inc', 0x0080c2: 'IEEE 802.1' };

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
