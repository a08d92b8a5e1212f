/** The names tcpdump's filter language knows: protocols, EtherTypes, and constants. */
export const IP_PROTOCOLS: Record<string, number> = {
  icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, igrp: 9, udp: 17, ip6: 41, rsvp: 46, gre: 47, esp: 50, ah: 51,
  icmp6: 58, eigrp: 88, ospf: 89, pim: 103, vrrp: 112, carp: 112, l2tp: 115, sctp: 132,
};

export const ETHER_TYPES: Record<string, number> = { ip: 0x0800, arp: 0x0806, rarp: 0x8035, ip6: 0x86dd, atalk: 0x809b, aarp: 0x80f3, ipx: 0x8137, decnet: 0x6003, lat: 0x6004, sca: 0x6007, moprc: 0x6002, mopdl: 0x6001, loopback: 0x9000 };

export const CONSTANTS: Record<string, number> = {
  tcpflags: 13, 'tcp-fin': 0x01, 'tcp-syn': 0x02, 'tcp-rst': 0x04, 'tcp-push': 0x08, 'tcp-ack': 0x10, 'tcp-urg': 0x20, 'tcp-ece': 0x40, 'tcp-cwr': 0x80,
  icmptype: 0, icmpcode: 1, 'icmp-echoreply': 0, 'icmp-unreach': 3, 'icmp-sourcequench': 4, 'icmp-redirect': 5, 'icmp-echo': 8,
  'icmp-routeradvert': 9, 'icmp-routersolicit': 10, 'icmp-timxceed': 11, 'icmp-paramprob': 12, 'icmp-tstamp': 13, 'icmp-tstampreply': 14,
  'icmp-ireq': 15, 'icmp-ireqreply': 16, 'icmp-maskreq': 17, 'icmp-maskreply': 18,
  icmp6type: 0, icmp6code: 1, 'icmp6-destinationunreach': 1, 'icmp6-packettoobig': 2, 'icmp6-timeexceeded': 3, 'icmp6-parameterproblem': 4,
  'icmp6-echo': 128, 'icmp6-echoreply': 129, 'icmp6-multicastlistenerquery': 130, 'icmp6-routersolicit': 133, 'icmp6-routeradvert': 134,
  'icmp6-neighborsolicit': 135, 'icmp6-neighboradvert': 136, 'icmp6-redirect': 137,
};

/** Protocols that may index packet data, proto[offset:size]. */
export const LOAD_PROTOCOLS = new Set(['ether', 'link', 'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'icmp6', 'igmp', 'sctp', 'vrrp', 'carp', 'pim', 'igrp']);
