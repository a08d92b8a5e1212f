/**
 * Answers a filter from the flow dictionary instead of the frame bytes, where the flow's
 * key decides it: 600k flows are evaluated, not 10 M packets. Each answer must be exactly
 * what the byte evaluator (evaluate.ts) would return for every well-formed Ethernet frame
 * of that flow; wherever the key cannot promise that (a TPID it did not keep, an IPv6
 * extension header, a non-first fragment, a byte-offset load) the answer is UNKNOWN and
 * the packet's bytes decide.
 *
 * Each test is answered for all flows in one loop, then and/or/not combine whole arrays.
 * Order still matters: libpcap rejects the whole packet when a load runs past the captured
 * bytes, so `x and y` is left to right, and an unknown left side leaves the node unknown
 * even when the right side alone would decide it.
 */
import type { Capture } from '../store/capture.ts';
import { FLOW_WORDS } from '../store/flow-table.ts';
import { runArith, type Leaves } from './arithmetic.ts';
import type { Arith, Node, Test } from './ast.ts';

export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
type Answer = typeof NO | typeof YES | typeof UNKNOWN;

/** What the key says sits in the EtherType field at a vlan depth. */
const TPID = -1;
const BELOW_0600 = -2;
const NOT_KNOWN = -3;
const MAX_TAGS_KEPT = 8;
const SNAP_BIT = 1 << 9;
const IP6_EXT_BIT = 1 << 10;
const ARP_FIXED_BIT = 1 << 11;
/** What the per-test answers of a length-dependent filter may take. */
export const LEAVES_BUDGET_BYTES = 256 * 1024 * 1024;

export class FlowAnswers {
  /** One answer per flow id for the whole filter. */
  readonly byFlow: Uint8Array;
  /** The filter has tests a packet's length decides: ask `packet` for flows left unknown. */
  readonly lengthDependent: boolean;
  private readonly leaves = new Map<Node, Uint8Array>();

  /**
   * A length-dependent filter keeps one byte per flow for each of its tests: beyond
   * `leavesBudgetBytes` (a 64 KB filter has up to ~16,000 tests; 600,000 flows would make that
   * 9.6 GB) the flows answer nothing and every packet's bytes decide.
   */
  constructor(
    private readonly root: Node,
    capture: Capture,
    leavesBudgetBytes = LEAVES_BUDGET_BYTES,
  ) {
    const { count } = capture.flows;
    const affordable = countTests(root) * count <= leavesBudgetBytes;
    this.lengthDependent = usesLength(root) && affordable;
    this.byFlow = usesLength(root) && !affordable ? new Uint8Array(count).fill(UNKNOWN) : this.combine(root, capture.flows.keys, count, capture.ipv6.words);
  }

  /** The answer for one packet of a flow whose answer depends on the packet's length. */
  packet(flow: number, wireLen: number): Answer {
    return this.decide(this.root, flow, wireLen);
  }

  private combine(n: Node, keys: Uint32Array, count: number, ipv6: Uint32Array): Uint8Array {
    switch (n.kind) {
      case 'chain': {
        const sofar = this.combine(n.first, keys, count, ipv6);
        for (const { op, operand } of n.rest) {
          const next = this.combine(operand, keys, count, ipv6);
          const passOn = op === 'and' ? YES : NO;
          for (let i = 0; i < count; i++) if (sofar[i] === passOn) sofar[i] = next[i];
        }
        return sofar;
      }
      case 'not': {
        const a = this.combine(n.operand, keys, count, ipv6);
        for (let i = 0; i < count; i++) if (a[i] !== UNKNOWN) a[i] ^= 1;
        return a;
      }
      case 'test': {
        const out = testAnswers(n.test, n.shift >> 2, keys, count, ipv6);
        if (this.lengthDependent) this.leaves.set(n, out.slice());
        return out;
      }
      case 'relation':
        return new Uint8Array(count).fill(relation(n, -1));
    }
  }

  private decide(n: Node, flow: number, wireLen: number): Answer {
    switch (n.kind) {
      case 'chain': {
        let sofar = this.decide(n.first, flow, wireLen);
        for (const { op, operand } of n.rest) if (sofar === (op === 'and' ? YES : NO)) sofar = this.decide(operand, flow, wireLen);
        return sofar;
      }
      case 'not': {
        const a = this.decide(n.operand, flow, wireLen);
        return a === UNKNOWN ? a : a === YES ? NO : YES;
      }
      case 'test':
        if (n.test.kind === 'length') return (n.test.atMost ? wireLen <= n.test.bytes : wireLen >= n.test.bytes) ? YES : NO;
        return this.leaves.get(n)![flow] as Answer;
      case 'relation':
        return relation(n, wireLen);
    }
  }
}

function typeAt(keys: Uint32Array, at: number, depth: number): number {
  const k8 = keys[at + 8];
  const tags = (k8 >> 4) & 0x0f;
  if (depth < tags) return TPID;
  if (depth > tags || tags >= MAX_TAGS_KEPT) return NOT_KNOWN;
  const type = keys[at + 4] & 0xffff;
  return type === 0 || k8 & SNAP_BIT ? BELOW_0600 : type;
}

function etherTypeIs(keys: Uint32Array, at: number, depth: number, type: number): Answer {
  const there = typeAt(keys, at, depth);
  if (there >= 0) return there === type ? YES : NO;
  if (there === TPID) return type === 0x8100 || type === 0x88a8 || type === 0x9100 ? UNKNOWN : NO;
  if (there === BELOW_0600) return type < 0x0600 ? UNKNOWN : NO;
  return UNKNOWN;
}

function transport(keys: Uint32Array, at: number): number {
  return (keys[at + 4] >>> 16) & 0xff;
}

/** Byte i of the destination MAC (0-5) or the source MAC (6-11), as the frame holds them. */
function macByte(keys: Uint32Array, at: number, i: number): number {
  // Key words 0-2 hold the source MAC then the destination MAC, big-endian.
  const k = i < 6 ? i + 6 : i - 6;
  return (keys[at + (k >> 2)] >>> (24 - 8 * (k & 3))) & 0xff;
}

/** Byte i of the address in key word `word`: an IPv4 address, or an IPv6 dictionary id. */
function addressByte(keys: Uint32Array, at: number, word: number, i: number, ipv6: Uint32Array | null): number {
  const value = ipv6 ? ipv6[keys[at + word] * 4 + (i >> 2)] : keys[at + word];
  return (value >>> (24 - 8 * (i & 3))) & 0xff;
}

/** One test for every flow. Each loop calls one function with one shape of test, which V8 keeps fast. */
function testAnswers(t: Test, depth: number, keys: Uint32Array, count: number, ipv6: Uint32Array): Uint8Array {
  const out = new Uint8Array(count);
  const end = count * FLOW_WORDS;
  let id = 0;
  switch (t.kind) {
    case 'ethertype':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = etherTypeIs(keys, at, depth, t.type);
      break;
    case 'llc':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = llc(keys, at, depth);
      break;
    case 'ipproto':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = ipProto(keys, at, depth, t.family, t.proto);
      break;
    case 'ip-addr':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = ipAddr(t, keys, at, depth, ipv6);
      break;
    case 'ether-addr':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = etherAddr(t.dir, keys, at, t.mac);
      break;
    case 'port':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = port(t, keys, at, depth);
      break;
    case 'vlan':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = vlan(t.id, keys, at, depth);
      break;
    case 'ether-broadcast':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = (keys[at + 1] & 0xffff) === 0xffff && keys[at + 2] === 0xffffffff ? YES : NO;
      break;
    case 'ether-multicast':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = macByte(keys, at, 0) & 1 ? YES : NO;
      break;
    case 'ip-multicast':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = ipMulticast(t.family, keys, at, depth, ipv6);
      break;
    case 'ip-broadcast':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = ipBroadcast(keys, at, depth);
      break;
    case 'length':
      out.fill(UNKNOWN);
  }
  return out;
}

function llc(keys: Uint32Array, at: number, depth: number): Answer {
  const there = typeAt(keys, at, depth);
  return there >= 0 || there === TPID ? NO : UNKNOWN;
}

function ipMulticast(family: 4 | 6, keys: Uint32Array, at: number, depth: number, ipv6: Uint32Array): Answer {
  const guard = etherTypeIs(keys, at, depth, family === 4 ? 0x0800 : 0x86dd);
  if (guard !== YES) return guard;
  if (family === 4) return keys[at + 6] >>> 24 >= 224 ? YES : NO;
  return addressByte(keys, at, 6, 0, ipv6) === 0xff ? YES : NO;
}

function ipBroadcast(keys: Uint32Array, at: number, depth: number): Answer {
  const guard = etherTypeIs(keys, at, depth, 0x0800);
  if (guard !== YES) return guard;
  const dst = keys[at + 6];
  return dst === 0xffffffff || dst === 0 ? YES : NO;
}

function ipProto(keys: Uint32Array, at: number, depth: number, family: number, proto: number): Answer {
  if (family !== 6) {
    const v4 = etherTypeIs(keys, at, depth, 0x0800);
    if (v4 === UNKNOWN) return UNKNOWN;
    if (v4 === YES && transport(keys, at) === proto) return YES;
  }
  if (family === 4) return NO;
  const v6 = etherTypeIs(keys, at, depth, 0x86dd);
  if (v6 !== YES) return v6;
  // The key knows the fixed header's next-header field only when no extension header came first.
  if (keys[at + 8] & IP6_EXT_BIT) return UNKNOWN;
  return transport(keys, at) === proto ? YES : NO;
}

function ipAddr(t: Extract<Test, { kind: 'ip-addr' }>, keys: Uint32Array, at: number, depth: number, ipv6: Uint32Array): Answer {
  const type = t.family === 6 ? 0x86dd : t.over === 'ip' ? 0x0800 : t.over === 'arp' ? 0x0806 : 0x8035;
  const guard = etherTypeIs(keys, at, depth, type);
  if (guard !== YES) return guard;
  if (t.family === 4 && t.over !== 'ip' && !(keys[at + 8] & ARP_FIXED_BIT)) return UNKNOWN;
  if (t.family === 4) return ipv4AddrIs(t.dir, keys[at + 5], keys[at + 6], t.addr, t.mask);
  const table = ipv6;
  const src = t.dir === 'dst' ? false : addressIs(keys, at, 5, table, t.addr, t.mask);
  if (t.dir === 'src') return src ? YES : NO;
  if (t.dir === 'and' && !src) return NO;
  if (t.dir === 'or' && src) return YES;
  return addressIs(keys, at, 6, table, t.addr, t.mask) ? YES : NO;
}

function ipv4AddrIs(dir: string, src: number, dst: number, addr: Uint8Array, mask: Uint8Array): Answer {
  const want = ((addr[0] << 24) | (addr[1] << 16) | (addr[2] << 8) | addr[3]) >>> 0;
  const bits = ((mask[0] << 24) | (mask[1] << 16) | (mask[2] << 8) | mask[3]) >>> 0;
  const inSrc = ((src & bits) >>> 0) === want;
  const inDst = ((dst & bits) >>> 0) === want;
  const hit = dir === 'src' ? inSrc : dir === 'dst' ? inDst : dir === 'and' ? inSrc && inDst : inSrc || inDst;
  return hit ? YES : NO;
}

function addressIs(keys: Uint32Array, at: number, word: number, ipv6: Uint32Array | null, want: Uint8Array, mask: Uint8Array): boolean {
  for (let i = 0; i < want.length; i++) if ((addressByte(keys, at, word, i, ipv6) & mask[i]) !== want[i]) return false;
  return true;
}

function etherAddr(dir: string, keys: Uint32Array, at: number, mac: Uint8Array): Answer {
  const src = dir === 'dst' ? false : macIs(keys, at, 6, mac);
  if (dir === 'src') return src ? YES : NO;
  if (dir === 'and' && !src) return NO;
  if (dir === 'or' && src) return YES;
  return macIs(keys, at, 0, mac) ? YES : NO;
}

function macIs(keys: Uint32Array, at: number, from: number, mac: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (macByte(keys, at, from + i) !== mac[i]) return false;
  return true;
}

function port(t: Extract<Test, { kind: 'port' }>, keys: Uint32Array, at: number, depth: number): Answer {
  if (t.family !== 6) {
    const v4 = etherTypeIs(keys, at, depth, 0x0800);
    if (v4 === UNKNOWN) return UNKNOWN;
    if (v4 === YES) {
      const a = ports(t, keys, at);
      if (a !== NO) return a;
    }
  }
  if (t.family === 4) return NO;
  const v6 = etherTypeIs(keys, at, depth, 0x86dd);
  if (v6 !== YES) return v6;
  return keys[at + 8] & IP6_EXT_BIT ? UNKNOWN : ports(t, keys, at);
}

function ports(t: Extract<Test, { kind: 'port' }>, keys: Uint32Array, at: number): Answer {
  if (transport(keys, at) !== t.transport) return NO;
  const src = keys[at + 7] & 0xffff;
  const dst = keys[at + 7] >>> 16;
  // Zero ports: a later fragment (no header), or SCTP, whose ports are not kept.
  if (src === 0 && dst === 0) return UNKNOWN;
  const inSrc = src >= t.lo && src <= t.hi;
  const inDst = dst >= t.lo && dst <= t.hi;
  const hit = t.dir === 'src' ? inSrc : t.dir === 'dst' ? inDst : t.dir === 'and' ? inSrc && inDst : inSrc || inDst;
  return hit ? YES : NO;
}

function vlan(id: number | null, keys: Uint32Array, at: number, depth: number): Answer {
  const there = typeAt(keys, at, depth);
  if (there === NOT_KNOWN) return UNKNOWN;
  if (there !== TPID) return NO;
  if (id === null) return YES;
  if (depth > 1) return UNKNOWN;
  const vid = depth === 0 ? keys[at + 3] & 0xffff : keys[at + 3] >>> 16;
  return vid === id ? YES : NO;
}

/** Only comparisons of lengths and constants are decided here; loads need the bytes. */
function relation({ op, left, right, loads }: Extract<Node, { kind: 'relation' }>, wireLen: number): Answer {
  // Even a load the optimiser dropped keeps its protocol check, which needs the bytes.
  if (loads.length > 0) return UNKNOWN;
  const a = arith(left, wireLen);
  const b = arith(right, wireLen);
  if (a === null || b === null) return UNKNOWN;
  const hit = op === '=' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  return hit ? YES : NO;
}

function arith(code: Arith, wireLen: number): number | null {
  // Loads need the bytes; a divisor of 0 rejects the packet in BPF: the byte evaluator says so.
  const leaves: Leaves = { len: () => (wireLen < 0 ? null : wireLen), load: () => null };
  return runArith(code, leaves);
}

function countTests(n: Node): number {
  switch (n.kind) {
    case 'chain':
      return n.rest.reduce((sum, link) => sum + countTests(link.operand), countTests(n.first));
    case 'not':
      return countTests(n.operand);
    case 'test':
      return 1;
    case 'relation':
      return 0;
  }
}

function usesLength(n: Node): boolean {
  switch (n.kind) {
    case 'chain':
      return usesLength(n.first) || n.rest.some((link) => usesLength(link.operand));
    case 'not':
      return usesLength(n.operand);
    case 'test':
      return n.test.kind === 'length';
    case 'relation':
      return arithUsesLength(n.left) || arithUsesLength(n.right);
  }
}

function arithUsesLength(code: Arith): boolean {
  return code.some((step) => step.kind === 'len');
}
