/**
 * libpcap's optimiser refuses a filter it can prove matches nothing ("expression rejects
 * all packets"), typically a protocol test and a `vlan` both on the same EtherType field.
 * This finds those: for each node, the EtherType values (per field offset) it needs; an AND
 * that needs two disjoint sets at one offset can never hold.
 */
import { constantValue } from './arithmetic.ts';
import type { Node, Step, Test } from './ast.ts';

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
      const [l, r] = [constantValue(n.left), constantValue(n.right)];
      if (l !== null && r !== null && !compare(n.op, l, r)) return null;
      return loadNeeds(n.loads);
    }
    case 'chain': {
      let sofar = needs(n.first);
      const grown = new Set<Set<number>>();
      for (const { op, operand } of n.rest) sofar = op === 'and' ? both(sofar, needs(operand)) : either(sofar, needs(operand), grown);
      return sofar;
    }
  }
}

/**
 * `grown`: the sets this chain made, which only its running result holds, so they grow in
 * place: a 10,000-term `or` is linear, not quadratic.
 */
function either(a: Needs | null, b: Needs | null, grown: Set<Set<number>>): Needs | null {
  if (!a) return b;
  if (!b) return a;
  const out: Needs = new Map();
  for (const [at, values] of a) {
    const more = b.get(at);
    if (!more) continue;
    const union = grown.has(values) ? values : new Set(values);
    grown.add(union);
    for (const v of more) union.add(v);
    out.set(at, union);
  }
  return out;
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

function compare(op: string, l: number, r: number): boolean {
  return op === '=' ? l === r : op === '!=' ? l !== r : op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
}

function loadNeeds(loads: ReadonlyArray<Extract<Step, { kind: 'load' }>>): Needs | null {
  let out: Needs | null = new Map();
  for (const step of loads) {
    if (step.proto === 'ether') continue;
    const type = step.proto === 'ip6' || step.proto === 'icmp6' ? 0x86dd : step.proto === 'arp' ? 0x0806 : step.proto === 'rarp' ? 0x8035 : 0x0800;
    out = both(out, at(step.shift, [type]));
  }
  return out;
}
