/**
 * A compiled filter: a tree of tests over a frame's bytes, as libpcap would generate them.
 * `shift` is 4 bytes per `vlan` seen earlier in the expression: libpcap moves its
 * link-layer offsets for everything after a `vlan`, whatever the and/or/not around it.
 */
export type Direction = 'src' | 'dst' | 'or' | 'and';

export type Test =
  | { kind: 'ethertype'; type: number }
  | { kind: 'llc'; sap: number }
  | { kind: 'ipproto'; family: 4 | 6 | 0; proto: number }
  | { kind: 'ip-addr'; family: 4 | 6; over: 'ip' | 'arp' | 'rarp'; dir: Direction; addr: Uint8Array; mask: Uint8Array }
  | { kind: 'ether-addr'; dir: Direction; mac: Uint8Array }
  | { kind: 'port'; transport: number; family: 4 | 6 | 0; dir: Direction; lo: number; hi: number }
  | { kind: 'vlan'; id: number | null }
  | { kind: 'ether-broadcast' }
  | { kind: 'ether-multicast' }
  | { kind: 'ip-multicast'; family: 4 | 6 }
  | { kind: 'ip-broadcast' }
  | { kind: 'length'; atMost: boolean; bytes: number };

export type Arith =
  | { kind: 'num'; value: number }
  | { kind: 'len' }
  | { kind: 'load'; proto: string; offset: Arith; size: number; shift: number }
  | { kind: 'bin'; op: string; left: Arith; right: Arith }
  | { kind: 'neg'; operand: Arith };

export type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'test'; test: Test; shift: number }
  | { kind: 'relation'; op: string; left: Arith; right: Arith };
