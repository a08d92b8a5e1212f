/** The Protocol column's classes: one byte per flow, named as Wireshark names them. */
export const enum ProtocolClass {
  Other = 0,
  Arp,
  Rarp,
  Lacp,
  Marker,
  SlowOther,
  Stp,
  Lldp,
  Cdp,
  IPv4,
  IPv6,
  Icmp,
  Icmpv6,
  Igmp,
  Tcp,
  Udp,
  Dns,
  Dhcp,
  Dhcpv6,
  Ntp,
  Hsrp,
  Vrrp,
  Gre,
  Sctp,
}

export const PROTOCOL_CLASS_NAMES: readonly string[] = [
  'other',
  'ARP',
  'RARP',
  'LACP',
  'Marker',
  'Slow',
  'STP',
  'LLDP',
  'CDP',
  'IPv4',
  'IPv6',
  'ICMP',
  'ICMPv6',
  'IGMP',
  'TCP',
  'UDP',
  'DNS',
  'DHCP',
  'DHCPv6',
  'NTP',
  'HSRP',
  'VRRP',
  'GRE',
  'SCTP',
];

/** UDP/TCP port hints, as tshark applies them by default. */
export function classForPorts(transport: ProtocolClass, sport: number, dport: number, ipVersion: number): ProtocolClass {
  if (transport === ProtocolClass.Udp) {
    if (dport === 1985 || (ipVersion === 6 && dport === 2029)) return ProtocolClass.Hsrp;
    if (sport === 67 || dport === 67 || sport === 68 || dport === 68) return ProtocolClass.Dhcp;
    if (sport === 546 || dport === 546 || sport === 547 || dport === 547) return ProtocolClass.Dhcpv6;
    if (sport === 123 || dport === 123) return ProtocolClass.Ntp;
  }
  if (sport === 53 || dport === 53) return ProtocolClass.Dns;
  return transport;
}
