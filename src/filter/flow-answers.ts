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
import {
  arpFixedLayout,
  dstPort,
  etherType,
  FLOW_WORDS,
  ip6ExtHeaders,
  ipDst,
  ipProto,
  ipSrc,
  macDstHi,
  macDstLo,
  macSrcHi,
  macSrcLo,
  snap,
  srcPort,
  vlanCount,
  vlanInner,
  vlanOuter,
} from '../store/flow-key.ts';
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
  const tags = vlanCount(keys, at);
  if (depth < tags) return TPID;
  if (depth > tags || tags >= MAX_TAGS_KEPT) return NOT_KNOWN;
  const type = etherType(keys, at);
  return type === 0 || snap(keys, at) ? BELOW_0600 : type;
}

function etherTypeIs(keys: Uint32Array, at: number, depth: number, type: number): Answer {
  return typeIs(typeAt(keys, at, depth), type);
}

/** Whether the EtherType field holds `type`, where typeAt said `there`. */
function typeIs(there: number, type: number): Answer {
  if (there >= 0) return there === type ? YES : NO;
  if (there === TPID) return type === 0x8100 || type === 0x88a8 || type === 0x9100 ? UNKNOWN : NO;
  if (there === BELOW_0600) return type < 0x0600 ? UNKNOWN : NO;
  return UNKNOWN;
}

/** Byte i of an address of the key: an IPv4 address, or an IPv6 dictionary id. */
function addressByte(address: number, i: number, ipv6: Uint32Array | null): number {
  const value = ipv6 ? ipv6[address * 4 + (i >> 2)] : address;
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
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = ipProtoIs(keys, at, depth, t.family, t.proto);
      break;
    case 'ip-addr':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = ipAddr(t, keys, at, depth, ipv6);
      break;
    case 'ether-addr': {
      // As the key holds a MAC: its first two bytes, then the last four.
      const hi = (t.mac[0] << 8) | t.mac[1];
      const lo = ((t.mac[2] << 24) | (t.mac[3] << 16) | (t.mac[4] << 8) | t.mac[5]) >>> 0;
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = etherAddr(t.dir, keys, at, hi, lo);
      break;
    }
    case 'port':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = port(t, keys, at, depth);
      break;
    case 'vlan':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = vlan(t.id, keys, at, depth);
      break;
    case 'ether-broadcast':
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = macDstHi(keys, at) === 0xffff && macDstLo(keys, at) === 0xffffffff ? YES : NO;
      break;
    case 'ether-multicast':
      // The group bit: the lowest bit of the destination's first byte.
      for (let at = 0; at < end; at += FLOW_WORDS) out[id++] = macDstHi(keys, at) & 0x100 ? YES : NO;
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
  if (family === 4) return ipDst(keys, at) >>> 24 >= 224 ? YES : NO;
  return addressByte(ipDst(keys, at), 0, ipv6) === 0xff ? YES : NO;
}

function ipBroadcast(keys: Uint32Array, at: number, depth: number): Answer {
  const guard = etherTypeIs(keys, at, depth, 0x0800);
  if (guard !== YES) return guard;
  const dst = ipDst(keys, at);
  return dst === 0xffffffff || dst === 0 ? YES : NO;
}

function ipProtoIs(keys: Uint32Array, at: number, depth: number, family: number, proto: number): Answer {
  const there = typeAt(keys, at, depth);
  if (family !== 6) {
    const v4 = typeIs(there, 0x0800);
    if (v4 === UNKNOWN) return UNKNOWN;
    if (v4 === YES && ipProto(keys, at) === proto) return YES;
  }
  if (family === 4) return NO;
  const v6 = typeIs(there, 0x86dd);
  if (v6 !== YES) return v6;
  // The key knows the fixed header's next-header field only when no extension header came first.
  if (ip6ExtHeaders(keys, at)) return UNKNOWN;
  return ipProto(keys, at) === proto ? YES : NO;
}

function ipAddr(t: Extract<Test, { kind: 'ip-addr' }>, keys: Uint32Array, at: number, depth: number, ipv6: Uint32Array): Answer {
  const type = t.family === 6 ? 0x86dd : t.over === 'ip' ? 0x0800 : t.over === 'arp' ? 0x0806 : 0x8035;
  const guard = etherTypeIs(keys, at, depth, type);
  if (guard !== YES) return guard;
  if (t.family === 4 && t.over !== 'ip' && !arpFixedLayout(keys, at)) return UNKNOWN;
  if (t.family === 4) return ipv4AddrIs(t.dir, ipSrc(keys, at), ipDst(keys, at), t.addr, t.mask);
  const table = ipv6;
  const src = t.dir === 'dst' ? false : addressIs(ipSrc(keys, at), table, t.addr, t.mask);
  if (t.dir === 'src') return src ? YES : NO;
  if (t.dir === 'and' && !src) return NO;
  if (t.dir === 'or' && src) return YES;
  return addressIs(ipDst(keys, at), table, t.addr, t.mask) ? YES : NO;
}

function ipv4AddrIs(dir: string, src: number, dst: number, addr: Uint8Array, mask: Uint8Array): Answer {
  const want = ((addr[0] << 24) | (addr[1] << 16) | (addr[2] << 8) | addr[3]) >>> 0;
  const bits = ((mask[0] << 24) | (mask[1] << 16) | (mask[2] << 8) | mask[3]) >>> 0;
  const inSrc = (src & bits) >>> 0 === want;
  const inDst = (dst & bits) >>> 0 === want;
  const hit = dir === 'src' ? inSrc : dir === 'dst' ? inDst : dir === 'and' ? inSrc && inDst : inSrc || inDst;
  return hit ? YES : NO;
}

function addressIs(address: number, ipv6: Uint32Array | null, want: Uint8Array, mask: Uint8Array): boolean {
  for (let i = 0; i < want.length; i++) if ((addressByte(address, i, ipv6) & mask[i]) !== want[i]) return false;
  return true;
}

function etherAddr(dir: string, keys: Uint32Array, at: number, hi: number, lo: number): Answer {
  const src = dir === 'dst' ? false : macSrcHi(keys, at) === hi && macSrcLo(keys, at) === lo;
  if (dir === 'src') return src ? YES : NO;
  if (dir === 'and' && !src) return NO;
  if (dir === 'or' && src) return YES;
  return macDstHi(keys, at) === hi && macDstLo(keys, at) === lo ? YES : NO;
}

/** One typeAt for both families: small enough that V8 inlines `ports` into the loop too. */
function port(t: Extract<Test, { kind: 'port' }>, keys: Uint32Array, at: number, depth: number): Answer {
  const there = typeAt(keys, at, depth);
  if (t.family !== 6) {
    const v4 = typeIs(there, 0x0800);
    if (v4 === UNKNOWN) return UNKNOWN;
    if (v4 === YES) {
      const a = ports(t, keys, at);
      if (a !== NO) return a;
    }
  }
  if (t.family === 4) return NO;
  const v6 = typeIs(there, 0x86dd);
  if (v6 !== YES) return v6;
  return ip6ExtHeaders(keys, at) ? UNKNOWN : ports(t, keys, at);
}

function ports(t: Extract<Test, { kind: 'port' }>, keys: Uint32Array, at: number): Answer {
  if (ipProto(keys, at) !== t.transport) return NO;
  const src = srcPort(keys, at);
  const dst = dstPort(keys, at);
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
  const vid = depth === 0 ? vlanOuter(keys, at) : vlanInner(keys, at);
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
