/**
 * libpcap's optimiser refuses a filter it can prove matches nothing ("expression rejects
 * all packets"), typically a protocol test and a `vlan` both on the same EtherType field.
 * This finds those: for each node, the EtherType values (per field offset) it needs; an AND
 * that needs two disjoint sets at one offset can never hold.
 */
import type { Arith, Node, Test } from './ast.ts';

/** Field offset (the vlan shift) -> the values the node needs there. Absent: anything. */
type Needs = Map<number, Set<number>>;

const VLAN_TPIDS = [0x8100, 0x88a8, 0x9100];
const LLC = -1;

export function satisfiable(root: Node): boolean {
  return needs(root) !== null;
}

/** null: the node can never be true. */
function needs(n: Node): Needs | null {
  switch (n.kind) {
    case 'not':
      return new Map();
    case 'test':
      return testNeeds(n.test, n.shift);
    case 'relation':
      return both(arithNeeds(n.left), arithNeeds(n.right));
    case 'and':
      return both(needs(n.left), needs(n.right));
    case 'or': {
      const a = needs(n.left);
      const b = needs(n.right);
      if (!a) return b;
      if (!b) return a;
      const out: Needs = new Map();
      for (const [at, values] of a) if (b.has(at)) out.set(at, new Set([...values, ...b.get(at)!]));
      return out;
    }
  }
}

function both(a: Needs | null, b: Needs | null): Needs | null {
  if (!a || !b) return null;
  const out: Needs = new Map(a);
  for (const [at, values] of b) {
    const mine = out.get(at);
    const meet = mine ? new Set([...values].filter((v) => mine.has(v))) : values;
    if (meet.size === 0) return null;
    out.set(at, meet);
  }
  return out;
}

function at(shift: number, values: number[]): Needs {
  return new Map([[shift, new Set(values)]]);
}

function testNeeds(t: Test, shift: number): Needs {
  switch (t.kind) {
    case 'ethertype':
      return at(shift, [t.type]);
    case 'llc':
      return at(shift, [LLC]);
    case 'vlan':
      return at(shift, VLAN_TPIDS);
    case 'ipproto':
    case 'port':
      return at(shift, t.family === 4 ? [0x0800] : t.family === 6 ? [0x86dd] : [0x0800, 0x86dd]);
    case 'ip-addr':
      return at(shift, t.family === 6 ? [0x86dd] : [t.over === 'ip' ? 0x0800 : t.over === 'arp' ? 0x0806 : 0x8035]);
    case 'ip-multicast':
      return at(shift, [t.family === 4 ? 0x0800 : 0x86dd]);
    case 'ip-broadcast':
      return at(shift, [0x0800]);
    default:
      return new Map();
  }
}

function arithNeeds(a: Arith): Needs | null {
  switch (a.kind) {
    case 'bin':
      return both(arithNeeds(a.left), arithNeeds(a.right));
    case 'neg':
      return arithNeeds(a.operand);
    case 'load': {
      const inner = arithNeeds(a.offset);
      const proto = a.proto;
      if (proto === 'ether') return inner;
      const type = proto === 'ip6' || proto === 'icmp6' ? 0x86dd : proto === 'arp' ? 0x0806 : proto === 'rarp' ? 0x8035 : 0x0800;
      return both(inner, at(a.shift, [type]));
    }
    default:
      return new Map();
  }
}
