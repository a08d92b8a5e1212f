import { ProtocolClass } from './protocol-class.ts';

export const NO_VLAN = 0xffff;

export const enum Malformed {
  None = 0,
  Link = 1,
  Network = 2,
  Transport = 3,
}

/**
 * The per-frame values the decoder extracts: one reused instance, overwritten per frame,
 * so that decoding allocates nothing. Addresses are kept as integers (MACs split in a
 * 16-bit high and 32-bit low part); an IPv6 address is left in the frame and located by
 * its offset, for the store to intern.
 */
export class FrameFields {
  hasMac = false;
  macSrcHi = 0;
  macSrcLo = 0;
  macDstHi = 0;
  macDstLo = 0;
  vlanCount = 0;
  vlanOuter = NO_VLAN;
  vlanInner = NO_VLAN;
  /** Set when the EtherType came from an 802.2 SNAP header rather than the Ethernet type field. */
  snap = false;
  etherType = 0;
  ipVersion = 0;
  /** IPv4 (and ARP) addresses as unsigned 32-bit integers. */
  ip4Src = 0;
  ip4Dst = 0;
  /** Offsets of the IPv6 source and destination addresses within the frame bytes. */
  ip6SrcAt = -1;
  ip6DstAt = -1;
  ipProto = 0;
  /** IPv6 extension headers came before the transport (libpcap's `tcp`, `port` look only at the fixed header). */
  ip6ExtHeaders = false;
  /** ARP with 6-byte hardware and 4-byte protocol addresses, where libpcap's `arp host` reads. */
  arpFixedLayout = false;
  /** TCP/UDP ports; ICMP type and code; ARP opcode and 0. */
  portA = 0;
  portB = 0;
  /** A whole TCP header was decoded (tcpFlags, tcpSeq, ... are valid). */
  tcpHeader = false;
  tcpFlags = 0;
  tcpSeq = 0;
  tcpAck = 0;
  tcpWindow = 0;
  /** A SYN's window-scale option (shift count), or -1 when it has none. */
  tcpWindowScale = -1;
  /** TCP payload bytes as the IP length says (not what was captured), as Wireshark's Len=. */
  tcpPayloadBytes = 0;
  protocolClass: ProtocolClass = ProtocolClass.Other;
  malformed: Malformed = Malformed.None;

  reset(): void {
    this.hasMac = false;
    this.macSrcHi = this.macSrcLo = this.macDstHi = this.macDstLo = 0;
    this.vlanCount = 0;
    this.vlanOuter = this.vlanInner = NO_VLAN;
    this.snap = false;
    this.etherType = 0;
    this.ipVersion = 0;
    this.ip4Src = this.ip4Dst = 0;
    this.ip6SrcAt = this.ip6DstAt = -1;
    this.ipProto = 0;
    this.ip6ExtHeaders = this.arpFixedLayout = false;
    this.portA = this.portB = 0;
    this.tcpHeader = false;
    this.tcpWindowScale = -1;
    this.tcpFlags = this.tcpSeq = this.tcpAck = this.tcpWindow = this.tcpPayloadBytes = 0;
    this.protocolClass = ProtocolClass.Other;
    this.malformed = Malformed.None;
  }
}
