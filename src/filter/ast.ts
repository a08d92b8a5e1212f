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

/**
 * Arithmetic in postfix order, the order libpcap emits it: each operand's steps before its
 * operator. Flat, so no pass recurses over a long or deep expression, and the stack height
 * while it runs is the number of registers libpcap's code needs.
 */
export type Step =
  | { kind: 'num'; value: number }
  | { kind: 'len' }
  /** Pops the offset, pushes the value. `folded`: the offset is a constant, which libpcap's optimiser adds into the load's own 32-bit offset, where it wraps. */
  | { kind: 'load'; proto: string; size: number; shift: number; folded: boolean }
  | { kind: 'neg' }
  | { kind: 'bin'; op: string };

export type Arith = readonly Step[];

/**
 * `and` and `or` have one precedence and associate left to right (pcap-filter(7)), so a
 * chain is read in order: each link applies its operator to everything before it. A flat
 * list, not a left-leaning tree: 10,000 terms are 10,000 links, not 10,000 levels.
 */
export interface Link {
  op: 'and' | 'or';
  operand: Node;
}

export type Node =
  | { kind: 'chain'; first: Node; rest: Link[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'test'; test: Test; shift: number }
  /** left and right as the optimiser leaves them (arithmetic.ts, fold); loads: both sides' loads as written. */
  | { kind: 'relation'; op: string; left: Arith; right: Arith; loads: ReadonlyArray<Extract<Step, { kind: 'load' }>> };
