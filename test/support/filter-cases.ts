// tcpdump (pcap-filter(7)) expressions for the filter parity test (test/filter-parity.test.ts).
// The verdict for every case comes from tcpdump at test time: for an expression it accepts,
// our engine must match exactly the frames it matches; for one it rejects, compileFilter must
// throw FilterSyntaxError. INVALID_FILTER_CASES and ALWAYS_FALSE_CASES record which ones
// tcpdump 4.99 / libpcap 1.10 rejects, and the parity test checks that record against tcpdump too.
//
// Nothing here depends on the machine's name databases: no host names, no service names, no
// `proto \name` that needs /etc/protocols (`ether proto \arp` is libpcap's own table). No
// expression starts with '-': tcpdump would read it as an option.

/** Field story 1 (../shared/docs/field-stories.md): the expressions the engineer cut his dumps with. */
export const STORY_CASES: readonly string[] = [
  'not (vlan and ip and port 9090)',
  'not (vlan and host 10.200.224.80)',
  'not (host 10.200.224.80)',
  'not icmp and not vrrp and not (vlan and ip and port (33389 or 1434))',
  'icmp',
];

const HOST_NET: readonly string[] = [
  'host 10.200.224.80',
  'src host 172.20.18.40',
  'dst host 10.100.200.143',
  'src or dst host 10.100.100.75',
  'src and dst host 10.0.0.1',
  'ip host 10.100.100.75',
  'host 192.168.0.1',
  'host 10.0.0.1 or 10.0.0.2',
  'net 10.0.0.0/8',
  'net 10.200.224.0/24',
  'src net 172.20.0.0/16',
  'dst net 224.0.0.0/4',
  'net 10.0.0.0 mask 255.0.0.0',
  'src net 192.168.0.0 mask 255.255.255.0',
  'net 192.168',
  'dst net 10.0.0.0/8 or 172.16.0.0/12',
  'host 2001:db8::1',
  'src net 2001:db8::/32',
  'net fe80::/10',
  'ip6 host ff02::12',
  'arp host 10.100.100.65',
  'ip host 10.100.100.75 and not port 22',
];

const PORTS: readonly string[] = [
  'port 9090',
  'src port 1434',
  'dst port 1434',
  'src or dst port 33389',
  'src and dst port 1985',
  'port 53 or 123',
  'tcp port 80',
  'tcp src port 443',
  'udp dst port 53',
  'udp port 1985',
  'tcp port 502',
  'sctp port 9',
  'portrange 1000-2000',
  'src portrange 1-1023',
  'dst portrange 1024-65535',
  'tcp portrange 1430-1440',
  'udp portrange 67-68',
  '(tcp or udp) and portrange 1000-2000',
  'src host 10.0.0.1 and port (80 or 443)',
  'host 10.200.224.80 and (port 9090 or 1434)',
  'tcp port 80 or 443',
];

const ETHER: readonly string[] = [
  'ether host 00:00:0c:9f:f0:01',
  'ether src 00:00:5e:00:01:2a',
  'ether dst ff:ff:ff:ff:ff:ff',
  'ether dst 01:80:c2:00:00:02',
  'ether src or dst 00:13:c4:12:0f:00',
  'ether src 00:00:0c:9f:f0:01 or 00:13:c4:12:0f:00',
  'ether host 0000.0c9f.f001',
  'ether broadcast',
  'ether multicast',
  'ether broadcast and not arp',
  'ether proto 0x0806',
  'ether proto 2054',
  'ether proto 0x8809',
  'ether proto 0x86dd',
  'ether proto 0x88cc',
  'ether proto \\arp',
];

const PROTOCOLS: readonly string[] = [
  'ip',
  'ip6',
  'arp',
  'rarp',
  'arp or rarp',
  'tcp',
  'udp',
  'icmp6',
  'vrrp',
  'igmp',
  'sctp',
  'stp',
  'ip proto 112',
  'ip proto 47',
  'ip proto 2',
  'ip6 proto 58',
  'ip6 proto 6',
  'ip6 and tcp',
  'proto 17',
  'broadcast',
  'multicast',
  // Not a rejection when reading a file: tcpdump -r compiles with netmask 0, so this matches
  // IPv4 destinations 0.0.0.0 and 255.255.255.255 (a live capture without a netmask rejects it).
  'ip broadcast',
  'ip multicast',
  'ip6 multicast',
];

const LENGTHS: readonly string[] = ['less 64', 'greater 1000', 'len > 100', 'len <= 60', 'len = 60', 'less 100 and greater 60'];

const VLANS: readonly string[] = [
  'vlan',
  'not vlan',
  'vlan 956',
  'vlan 0',
  'vlan and vlan',
  'vlan and vlan and vlan',
  'vlan 200 and vlan 2001',
  'vlan 200 and vlan 2001 and arp',
  'vlan and ip',
  'vlan and arp',
  'vlan and ip6',
  'vlan and vlan and ip',
  'vlan 956 and tcp',
  'vlan and src port 1434',
  'vlan 956 and host 10.200.224.80',
  'vlan 1 and stp',
  // pcap-filter(7)'s caveat: `vlan` moves the offsets for the rest of the expression, `or` included.
  'vlan 30 and vlan 20 and vlan 10 and tcp',
  'vlan 123 and vlan 12 and icmp',
  'vlan 200 and not vlan 2001',
  'vlan 100 or vlan 200',
  '(vlan and ip) or arp',
];

const BYTES: readonly string[] = [
  'tcp[tcpflags] & tcp-syn != 0',
  'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0',
  'tcp[tcpflags] & tcp-rst != 0',
  'tcp[tcpflags] = tcp-syn|tcp-ack',
  'tcp[tcpflags] & tcp-ack != 0 and tcp[tcpflags] & tcp-syn = 0',
  'tcp[tcpflags] & (tcp-ece|tcp-cwr|tcp-urg|tcp-push) != 0',
  'tcp[13] = 0x12',
  'tcp[13] & 2 != 0',
  'tcp[2:2] > 1023',
  'tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420',
  'ip[6:2] & 0x1fff = 0',
  'ip[6:2] & 0x1fff != 0',
  'ip[6] & 0x20 != 0',
  'ip[0] & 0xf > 5',
  'ip[8] = 255',
  'ip[9] = 112',
  'ip[12:4] = 0x0a64644b',
  'ip[2:2] > 576',
  'icmp[icmptype] = icmp-echo',
  'icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply',
  'icmp[icmptype] = icmp-unreach and icmp[icmpcode] = 3',
  'icmp6[icmp6type] = icmp6-echo',
  'udp[8:2] = 0x1234',
  'udp[0:2] = 53 or udp[2:2] = 53',
  'ether[0] & 1 = 1',
  'ether[0] & 1 = 0',
  'ether[12:2] = 0x8100',
  'ether[12:2] = 0x88a8',
  'vlan and ether[14:2] & 0x0fff = 956',
  'arp[7] = 2',
  'ip6[6] = 58',
];

const ARITHMETIC: readonly string[] = [
  '1 + 2 * 3 = 7',
  '0 - 1 = 0xffffffff',
  '10 - 2 - 3 = 5',
  'ip[2:2] + 14 = len',
  'len - 14 > 100',
  'ip[2:2] - ((ip[0] & 0xf) << 2) > 100',
  'ip[8] * 2 > 100',
  'ip[8] / 2 = 32',
  'ip[8] % 2 = 1',
  'len % 2 = 0',
  'ether[12:2] ^ 0x0800 = 0',
  'ip[9] | 1 = 7',
  'ip[0] >> 4 = 4',
  'ether[0] << 1 > 0x80',
  '(ip[2:2] - 20) / 4 > 10',
];

const BOOLEAN: readonly string[] = [
  'tcp and not port 22',
  'tcp && port 9090',
  'udp || icmp',
  '! arp',
  'not not arp',
  'not tcp or udp',
  'tcp or udp and port 53',
  'arp or icmp and ip',
  'ip and (tcp or udp) and not (port 53 or port 1434)',
  '((ip))',
];

/** Expressions tcpdump rejects (libpcap compile errors); compileFilter must throw FilterSyntaxError. */
export const INVALID_FILTER_CASES: readonly string[] = [
  'host',
  'port 99999',
  'tcp[',
  '(ip',
  'vlan and',
  'foo',
  'ip and or tcp',
  ')',
  'less',
  'tcp port 80 80',
  'ip[0:4]',
  'tcp[0:3] = 1',
  'vlan 5000',
  'net 10.0.0.1/8',
  'host 300.1.1.1',
  'len / 0 = 0',
  'len % 0 = 0',
  'ip6 broadcast',
];

/**
 * Expressions libpcap's optimizer proves can never match: tcpdump refuses them with "expression
 * rejects all packets", so parity means compileFilter refuses them too. Contradictions on one
 * field (the EtherType, the IP protocol) and a false constant.
 */
export const ALWAYS_FALSE_CASES: readonly string[] = ['ip and arp', 'tcp and udp', '1 = 2'];

export const FILTER_CASES: string[] = [
  ...STORY_CASES,
  ...HOST_NET,
  ...PORTS,
  ...ETHER,
  ...PROTOCOLS,
  ...LENGTHS,
  ...VLANS,
  ...BYTES,
  ...ARITHMETIC,
  ...BOOLEAN,
  ...INVALID_FILTER_CASES,
  ...ALWAYS_FALSE_CASES,
];
