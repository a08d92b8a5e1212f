/** One colour per protocol class, readable on light and dark backgrounds. */
const CLASS_COLORS: Record<string, string> = {
  ARP: '#e8a33d',
  RARP: '#e8a33d',
  LACP: '#d6455d',
  Marker: '#d6455d',
  Slow: '#b05a6e',
  STP: '#8a6fd1',
  LLDP: '#7e8ec9',
  CDP: '#7e8ec9',
  IPv4: '#7a8794',
  IPv6: '#7a8794',
  ICMP: '#2eaa8a',
  ICMPv6: '#2eaa8a',
  IGMP: '#5aa9c9',
  TCP: '#4c8edb',
  UDP: '#9a6fb0',
  DNS: '#c76fb4',
  DHCP: '#b8a24a',
  DHCPv6: '#b8a24a',
  NTP: '#6fa36f',
  HSRP: '#e2683c',
  VRRP: '#cf4f9e',
  GRE: '#8d8d6b',
  SCTP: '#6b8d8d',
  other: '#9aa0a6',
};

export function classColor(name: string): string {
  return CLASS_COLORS[name] ?? CLASS_COLORS.other;
}

const CAPTURE_COLORS = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#cf222e'];

/** One colour per capture point, for the merged view's capture lanes. */
export function captureColor(index: number): string {
  return CAPTURE_COLORS[index % CAPTURE_COLORS.length];
}
