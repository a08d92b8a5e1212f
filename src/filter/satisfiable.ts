/**
 * libpcap's optimiser refuses a filter it can prove matches nothing ("expression rejects
 * all packets"), typically a protocol test and a `vlan` both on the same EtherType field.
 * This finds those: for each node, the EtherType values (per field offset) it needs; an AND
 * that needs two disjoint sets at one offset can never hold.
 */
import type { Arith, Node, Test } from './ast.ts';

/**
 * Field -> the values the node needs there; absent: anything. Fields are the EtherType at
 * each vlan shift, and (at TRANSPORT + shift) the IP protocol after it.
 */
type Needs = Map<number, Set<number>>;
const TRANSPORT = 1000;

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
    case 'relation': {
      // A comparison of constants is decided here, as libpcap's optimiser folds it.
      const [l, r] = [constant(n.left), constant(n.right)];
      if (l !== null && r !== null && !compare(n.op, l, r)) return null;
      return both(arithNeeds(n.left), arithNeeds(n.right));
    }
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
    case 'port': {
      const needs = at(shift, t.family === 4 ? [0x0800] : t.family === 6 ? [0x86dd] : [0x0800, 0x86dd]);
      needs.set(TRANSPORT + shift, new Set([t.kind === 'port' ? t.transport : t.proto]));
      return needs;
    }
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

function constant(a: Arith): number | null {
  if (a.kind === 'num') return a.value >>> 0;
  if (a.kind === 'neg') {
    const v = constant(a.operand);
    return v === null ? null : -v >>> 0;
  }
  if (a.kind !== 'bin') return null;
  const [l, r] = [constant(a.left), constant(a.right)];
  if (l === null || r === null) return null;
  switch (a.op) {
    case '+': return (l + r) >>> 0;
    case '-': return (l - r) >>> 0;
    case '*': return Math.imul(l, r) >>> 0;
    case '/': return r ? Math.floor(l / r) >>> 0 : null;
    case '%': return r ? l % r >>> 0 : null;
    case '&': return (l & r) >>> 0;
    case '|': return (l | r) >>> 0;
    case '^': return (l ^ r) >>> 0;
    case '<<': return r > 31 ? 0 : (l << r) >>> 0;
    default: return r > 31 ? 0 : l >>> r;
  }
}

function compare(op: string, l: number, r: number): boolean {
  return op === '=' ? l === r : op === '!=' ? l !== r : op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
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
