/**
 * tcpdump's filter language (pcap-filter(7)) parsed into tests over frame bytes (ast.ts),
 * with libpcap's quirks: qualifiers carry over to bare ids after and/or ("host a or b",
 * "port (80 or 443)"), and a `vlan` shifts the offsets of everything after it.
 */
import { constantValue, fold, loadsOf } from './arithmetic.ts';
import type { Direction, Link, Node, Step, Test } from './ast.ts';
import { LexError, tokenize, type Token } from './lexer.ts';
import { CONSTANTS, ETHER_TYPES, IP_PROTOCOLS, LOAD_PROTOCOLS } from './names.ts';
import { satisfiable } from './satisfiable.ts';

/** position: where in the text (0-based), or -1 when the refusal is about the capture, not a place in the text. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(position < 0 ? message : `${message} (at character ${position + 1})`);
  }
}

export interface CompiledFilter {
  readonly text: string;
  readonly root: Node | null;
  /** VLAN tags `vlan` has stepped into by the end of the text: what anything appended would see. */
  readonly vlanDepthAtEnd: number;
}

/** The view validator's limit for a filter too: a filter that fits in a link compiles. */
export const MAX_FILTER_CHARS = 65_536;
/** Parentheses, `not`s, unary minuses and brackets open at once; tcpdump's parser gives out near 10,000. */
export const MAX_NESTING = 1_000;
/** libpcap's scratch memory words (BPF_MEMWORDS): each value an expression holds at once takes one. */
const REGISTERS = 16;

export function compileFilter(expression: string): CompiledFilter {
  if (expression.length > MAX_FILTER_CHARS)
    throw new FilterSyntaxError(`expression longer than ${MAX_FILTER_CHARS.toLocaleString('en-US')} characters`, MAX_FILTER_CHARS);
  try {
    const parser = new Parser(tokenize(expression));
    const root = parser.whole();
    if (parser.folding) throw new FilterSyntaxError(parser.folding.message, parser.folding.at);
    if (root && !satisfiable(root)) throw new FilterSyntaxError('expression rejects all packets', 0);
    return { text: expression, root, vlanDepthAtEnd: parser.vlanDepth };
  } catch (error) {
    if (error instanceof LexError) throw new FilterSyntaxError(error.message, error.position);
    throw error;
  }
}

const PROTO_QUALIFIERS = new Set([
  'ether',
  'link',
  'ip',
  'ip6',
  'arp',
  'rarp',
  'tcp',
  'udp',
  'sctp',
  'icmp',
  'icmp6',
  'igmp',
  'vrrp',
  'carp',
  'pim',
  'ah',
  'esp',
  'stp',
]);
const RELOPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set([
  ...PROTO_QUALIFIERS,
  'src',
  'dst',
  'host',
  'net',
  'port',
  'portrange',
  'proto',
  'gateway',
  'and',
  'or',
  'not',
  'vlan',
  'mpls',
  'less',
  'greater',
  'len',
  'broadcast',
  'multicast',
  'mask',
]);
/** Arithmetic operators by precedence, lowest first: | ^, &, << >>, + -, * / %. */
const LEVEL = new Map([
  ['|', 0],
  ['^', 0],
  ['&', 1],
  ['<<', 2],
  ['>>', 2],
  ['+', 3],
  ['-', 3],
  ['*', 4],
  ['/', 4],
  ['%', 4],
]);

/** A name's entry in one of names.ts's tables; `constructor` or `__proto__` from the text is not one. */
function named(table: Record<string, number>, name: string): number | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

interface Qualifiers {
  proto?: string;
  dir?: Direction;
  type?: 'host' | 'net' | 'port' | 'portrange';
}

class Parser {
  private i = 0;
  private vlanShift = 0;
  private depth = 0;
  /** Values the relation being read holds at this point: libpcap's registers in use. */
  private registers = 0;
  /** For each '(' token, the index of its ')' (-1: none), so a '(' is classified without backtracking. */
  private readonly closing: Int32Array;
  /** The first constant operand libpcap's optimiser refuses (it runs after parsing, so a syntax error still comes first). */
  folding: { message: string; at: number } | null = null;

  get vlanDepth(): number {
    return this.vlanShift >> 2;
  }
  private carried: Qualifiers = {};

  constructor(private readonly tokens: Token[]) {
    this.closing = matchingParentheses(tokens);
  }

  whole(): Node | null {
    if (this.peek().kind === 'end') return null;
    const node = this.orExpr();
    if (this.peek().kind !== 'end') this.fail(`unexpected '${this.peek().text}'`);
    return node;
  }

  /** Reaching a number that cannot be read refuses it, as libpcap's scanner does when yacc asks for it. */
  private peek(k = 0): Token {
    const t = this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
    if (t.problem) throw new FilterSyntaxError(t.problem, t.at);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind !== 'end' && t.text === text;
  }

  private fail(message: string, at = this.tokens[Math.min(this.i, this.tokens.length - 1)].at): never {
    throw new FilterSyntaxError(message, at);
  }

  private expect(text: string): void {
    if (!this.is(text)) this.fail(`expected '${text}'${this.peek().kind === 'end' ? ' before the end' : ` but found '${this.peek().text}'`}`);
    this.i++;
  }

  /** One more level of nesting; the parser recurses per level, so the limit keeps it far from the stack's end. */
  private enter(at = this.peek()): void {
    if (++this.depth > MAX_NESTING) this.fail('expression nested too deeply', at.at);
  }

  private orExpr(): Node {
    const first = this.unary();
    const rest: Link[] = [];
    while (this.is('or') || this.is('||') || this.is('and') || this.is('&&')) {
      const op = this.next().text;
      rest.push({ op: op === 'or' || op === '||' ? 'or' : 'and', operand: this.unary() });
    }
    return rest.length === 0 ? first : { kind: 'chain', first, rest };
  }

  private unary(): Node {
    const depth = this.depth;
    let nots = 0;
    while (this.is('not') || this.is('!')) {
      this.enter();
      this.i++;
      nots++;
    }
    let node = this.term();
    for (; nots > 0; nots--) node = { kind: 'not', operand: node };
    this.depth = depth;
    return node;
  }

  private term(): Node {
    if (this.peek().kind === 'end') this.fail('expression ends too soon');
    if (this.is('(')) return this.startsArithmetic() ? this.relation() : this.group();
    if (this.startsRelation()) return this.relation();
    return this.primitive();
  }

  private group(): Node {
    this.enter();
    this.i++;
    const node = this.orExpr();
    this.expect(')');
    this.depth--;
    return node;
  }

  /** "(" starts parenthesised arithmetic when what follows its ")" continues arithmetic: "(len - 14) > 100". */
  private startsArithmetic(): boolean {
    const close = this.closing[this.i];
    if (close < 0) return false;
    const after = this.tokens[close + 1];
    return after.kind === 'op' && (RELOPS.has(after.text) || LEVEL.has(after.text));
  }

  private startsRelation(): boolean {
    const t = this.peek();
    if (t.text === 'len' || t.text === '-') return true;
    if (LOAD_PROTOCOLS.has(t.text) && this.is('[', 1)) return true;
    if (t.kind === 'number' || (t.kind === 'word' && named(CONSTANTS, t.text) !== undefined)) {
      const after = this.peek(1);
      return after.kind === 'op' && (RELOPS.has(after.text) || LEVEL.has(after.text));
    }
    return false;
  }

  private relation(): Node {
    this.registers = 0;
    const left: Step[] = [];
    this.arith(left);
    const op = this.next();
    if (!RELOPS.has(op.text)) this.fail(`expected a comparison (=, !=, <, <=, >, >=)`, op.at);
    const right: Step[] = [];
    this.arith(right);
    return { kind: 'relation', op: op.text === '==' ? '=' : op.text, left: fold(left), right: fold(right), loads: loadsOf([...left, ...right]) };
  }

  /** Precedence climbing: an operand, then operators of `minLevel` or above, each with its right side at the next level up. */
  private arith(code: Step[], minLevel = 0): void {
    const leftAt = code.length;
    this.operand(code);
    for (;;) {
      const op = this.peek();
      const level = op.kind === 'op' ? LEVEL.get(op.text) : undefined;
      if (level === undefined || level < minLevel) return;
      this.i++;
      const rightAt = code.length;
      this.arith(code, level + 1);
      this.checkOperator(op, code, leftAt, rightAt);
      code.push({ kind: 'bin', op: op.text });
      this.registers--;
    }
  }

  /**
   * libpcap refuses a divisor of 0 and a shift past 31 twice: while parsing, when the right
   * side's first step loads that constant (so `len / ether[0]` is refused too), and in the
   * optimiser, once the right side folds to that constant.
   */
  private checkOperator(op: Token, code: Step[], leftAt: number, rightAt: number): void {
    const division = op.text === '/' || op.text === '%';
    const shift = op.text === '<<' || op.text === '>>';
    if (!division && !shift) return;
    const first = code[rightAt];
    const words = op.text === '/' ? 'division by zero' : op.text === '%' ? 'modulus by zero' : 'shift by more than 31 bits';
    if (first.kind === 'num' && (division ? first.value === 0 : first.value > 31)) this.fail(words, op.at);
    const right = constantValue(code, rightAt);
    if (right === null || this.folding) return;
    // Both sides constant: the optimiser folds the shift itself, to 0 past 31 bits, without a word.
    if (division ? right === 0 : right > 31 && constantValue(code, leftAt, rightAt) === null) this.folding = { message: words, at: op.at };
  }

  private hold(at: Token): void {
    if (++this.registers > REGISTERS) this.fail('too many registers needed to evaluate expression', at.at);
  }

  private operand(code: Step[]): void {
    const depth = this.depth;
    let minuses = 0;
    while (this.is('-') && this.peek().kind === 'op') {
      this.enter();
      this.i++;
      minuses++;
    }
    this.value(code);
    for (; minuses > 0; minuses--) code.push({ kind: 'neg' });
    this.depth = depth;
  }

  private value(code: Step[]): void {
    const t = this.next();
    if (t.text === '(' && t.kind === 'op') {
      this.enter(t);
      this.arith(code);
      this.expect(')');
      this.depth--;
      return;
    }
    const constant = t.kind === 'word' ? named(CONSTANTS, t.text) : undefined;
    if (t.kind === 'number' || constant !== undefined) {
      this.hold(t);
      code.push({ kind: 'num', value: constant ?? t.value });
      return;
    }
    if (t.text === 'len') {
      this.hold(t);
      code.push({ kind: 'len' });
      return;
    }
    if (LOAD_PROTOCOLS.has(t.text) && this.is('[')) return this.load(t, code);
    this.fail(t.kind === 'end' ? 'expression ends too soon' : `unexpected '${t.text}' in arithmetic`, t.at);
  }

  /** proto[offset] or proto[offset:size]. libpcap takes the loaded value's register before it frees the offset's. */
  private load(proto: Token, code: Step[]): void {
    this.enter();
    this.i++;
    this.arith(code);
    let size = 1;
    if (this.is(':')) {
      this.i++;
      const s = this.next();
      if (s.kind !== 'number' || ![1, 2, 4].includes(s.value)) this.fail('data size must be 1, 2, or 4', s.at);
      size = s.value;
    }
    this.expect(']');
    this.depth--;
    this.hold(proto);
    this.registers--;
    code.push({ kind: 'load', proto: proto.text === 'link' ? 'ether' : proto.text, size, shift: this.vlanShift, folded: false });
  }

  private test(test: Test): Node {
    return { kind: 'test', test, shift: this.vlanShift };
  }

  private primitive(): Node {
    const start = this.peek();
    if (this.is('vlan')) return this.vlan();
    if (this.is('mpls')) this.fail('mpls is not supported yet');
    if (this.is('less') || this.is('greater')) {
      const atMost = this.next().text === 'less';
      const n = this.next();
      if (n.kind !== 'number') this.fail('expected a length', n.at);
      return this.test({ kind: 'length', atMost, bytes: n.value });
    }
    const q = this.qualifiers();
    const t = this.peek();
    if (this.is('broadcast') || this.is('multicast')) return this.castTest(q);
    if (this.is('proto')) return this.protoTest(q);
    if (this.is('gateway')) this.fail("'gateway' needs name resolution, which is not supported");
    if (this.is('(') && (q.proto || q.dir || q.type)) {
      // "port (80 or 443)": the qualifiers carry into the parentheses.
      this.carried = q;
      this.i++;
      const node = this.orExpr();
      this.expect(')');
      return node;
    }
    if (t.kind === 'number' || (t.kind === 'word' && !KEYWORDS.has(t.text) && !t.text.startsWith('\\'))) {
      const quals = q.proto || q.dir || q.type ? q : this.carried;
      if (!quals.proto && !quals.dir && !quals.type && t.kind === 'word' && !/[.:]/.test(t.text)) this.fail(`unknown keyword or name '${t.text}'`, t.at);
      this.carried = quals;
      this.i++;
      return this.idTest(quals, t);
    }
    if (q.proto && !q.dir && !q.type) return this.protoAbbrev(q.proto, start);
    return this.fail(t.kind === 'end' ? 'expression ends too soon' : `unexpected '${t.text}'`, t.at);
  }

  private qualifiers(): Qualifiers {
    const q: Qualifiers = {};
    if (PROTO_QUALIFIERS.has(this.peek().text) && this.peek().kind === 'word') q.proto = this.next().text;
    if (this.is('src') || this.is('dst')) {
      const first = this.next().text as 'src' | 'dst';
      if ((this.is('or') || this.is('and')) && (this.is('src', 1) || this.is('dst', 1))) {
        q.dir = this.next().text as 'or' | 'and';
        this.i++;
      } else {
        q.dir = first;
      }
    }
    if (this.is('host') || this.is('net') || this.is('port') || this.is('portrange')) q.type = this.next().text as Qualifiers['type'];
    return q;
  }

  private vlan(): Node {
    this.i++;
    let id: number | null = null;
    if (this.peek().kind === 'number') {
      id = this.next().value;
      if (id > 4095) this.fail(`VLAN tag ${id} greater than maximum 4095`);
    }
    const node = this.test({ kind: 'vlan', id });
    this.vlanShift += 4;
    return node;
  }

  private castTest(q: Qualifiers): Node {
    const t = this.next();
    const broadcast = t.text === 'broadcast';
    if (!q.proto || q.proto === 'ether' || q.proto === 'link') return this.test({ kind: broadcast ? 'ether-broadcast' : 'ether-multicast' });
    // Reading a file, tcpdump's netmask is 0: 'ip broadcast' is a destination of all ones or all zeros.
    if (broadcast && q.proto === 'ip') return this.test({ kind: 'ip-broadcast' });
    if (broadcast) return this.fail(`'${q.proto} broadcast' is not valid`, t.at);
    if (q.proto === 'ip') return this.test({ kind: 'ip-multicast', family: 4 });
    if (q.proto === 'ip6') return this.test({ kind: 'ip-multicast', family: 6 });
    return this.fail(`'${q.proto} multicast' is not valid`, t.at);
  }

  private protoTest(q: Qualifiers): Node {
    this.i++;
    const t = this.next();
    const name = t.text.replace(/^\\/, '');
    if (q.proto === 'ether' || q.proto === 'link') {
      const type = t.kind === 'number' ? t.value : named(ETHER_TYPES, name);
      if (type === undefined) this.fail(`unknown ether proto '${name}'`, t.at);
      return this.etherType(type);
    }
    // A number past 255 is taken, as libpcap takes it: it compares the byte with it and matches nothing.
    const proto = t.kind === 'number' ? t.value : named(IP_PROTOCOLS, name);
    if (proto === undefined) this.fail(`unknown ip proto '${name}'`, t.at);
    const family = q.proto === 'ip' ? 4 : q.proto === 'ip6' ? 6 : 0;
    return this.test({ kind: 'ipproto', family, proto });
  }

  private etherType(type: number): Node {
    if (type === 0x42) return this.test({ kind: 'llc', sap: 0x42 });
    return this.test({ kind: 'ethertype', type });
  }

  /** A protocol name alone: "ip", "tcp", "arp", "stp", ... */
  private protoAbbrev(proto: string, at: Token): Node {
    if (proto in ETHER_TYPES) return this.etherType(ETHER_TYPES[proto]);
    if (proto === 'stp') return this.test({ kind: 'llc', sap: 0x42 });
    if (proto === 'vrrp' || proto === 'carp' || proto === 'igmp' || proto === 'pim' || proto === 'icmp')
      return this.test({ kind: 'ipproto', family: proto === 'pim' ? 0 : 4, proto: IP_PROTOCOLS[proto] });
    if (proto === 'icmp6') return this.test({ kind: 'ipproto', family: 6, proto: 58 });
    if (proto in IP_PROTOCOLS) return this.test({ kind: 'ipproto', family: 0, proto: IP_PROTOCOLS[proto] });
    return this.fail(`'${proto}' needs something after it`, at.at);
  }

  private idTest(q: Qualifiers, t: Token): Node {
    const dir = q.dir ?? 'or';
    const type = q.type ?? (t.kind === 'number' && !q.proto ? undefined : 'host');
    if (q.type === 'port' || q.type === 'portrange') return this.portTest(q, t, dir);
    if (q.proto === 'ether' || q.proto === 'link') {
      const mac = parseMac(t.text);
      if (!mac || type !== 'host') this.fail(`'${t.text}' is not an Ethernet address`, t.at);
      return this.test({ kind: 'ether-addr', dir, mac });
    }
    if (q.proto && ['tcp', 'udp', 'sctp', 'icmp', 'icmp6', 'igmp', 'vrrp', 'carp', 'pim', 'stp'].includes(q.proto) && !q.type) {
      this.fail(`'${q.proto}' modifier applied to ${t.kind === 'number' ? 'a number' : 'a host'}`, t.at);
    }
    if (type === undefined) this.fail(`a bare number '${t.text}' needs a qualifier (host, net, port...)`, t.at);
    const net = parseNet(t.text, q.type === 'net', this.maskAfter());
    if (!net) this.fail(`'${t.text}' is not an address${q.type === 'net' ? ' or network' : ''}`, t.at);
    if (net.family === 6) {
      if (q.proto && q.proto !== 'ip6') this.fail(`'${q.proto}' used with an IPv6 address`, t.at);
      return this.test({ kind: 'ip-addr', family: 6, over: 'ip', dir, addr: net.addr, mask: net.mask });
    }
    if (q.proto === 'ip6') this.fail(`'ip6' used with an IPv4 address`, t.at);
    const over = q.proto === 'arp' || q.proto === 'rarp' ? [q.proto] : q.proto === 'ip' ? ['ip'] : ['ip', 'arp', 'rarp'];
    const tests = over.map((o) => this.test({ kind: 'ip-addr', family: 4, over: o as 'ip' | 'arp' | 'rarp', dir, addr: net.addr, mask: net.mask }));
    return anyOf(tests);
  }

  /** "net 10.0.0.0 mask 255.0.0.0" */
  private maskAfter(): string | null {
    if (!this.is('mask')) return null;
    this.i++;
    return this.next().text;
  }

  private portTest(q: Qualifiers, t: Token, dir: Direction): Node {
    let ends = [t.value];
    const range = q.type === 'portrange' ? /^(\d+)-(\d+)$/.exec(t.text) : null;
    if (range) ends = [scanfInt(range[1]), scanfInt(range[2])];
    if (ends.some(Number.isNaN)) this.fail(`'${t.text}' is not a port${q.type === 'portrange' ? ' range' : ''}`, t.at);
    // libpcap checks the ends as written, the first one first, before it orders them.
    for (const end of ends) if (end < 0 || end > 65535) this.fail(`illegal port number ${end} ${end < 0 ? '< 0' : '> 65535'}`, t.at);
    const [lo, hi] = ends.length === 1 ? [ends[0], ends[0]] : [Math.min(...ends), Math.max(...ends)];
    const transports = q.proto === 'tcp' ? [6] : q.proto === 'udp' ? [17] : q.proto === 'sctp' ? [132] : [6, 17, 132];
    if (q.proto && !['tcp', 'udp', 'sctp', 'ip', 'ip6'].includes(q.proto)) this.fail(`illegal qualifier of 'port'`, t.at);
    const family = q.proto === 'ip' ? 4 : q.proto === 'ip6' ? 6 : 0;
    const tests = transports.map((transport) => this.test({ kind: 'port', transport, family, dir, lo, hi }));
    return anyOf(tests);
  }
}

function anyOf(tests: Node[]): Node {
  return tests.length === 1 ? tests[0] : { kind: 'chain', first: tests[0], rest: tests.slice(1).map((operand) => ({ op: 'or', operand })) };
}

/** libpcap reads a port range with sscanf's %d: past 2^63 it stops at the limit, and the int keeps the low 32 bits. */
function scanfInt(digits: string): number {
  const n = BigInt(digits);
  return Number(BigInt.asIntN(32, n > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : n));
}

function matchingParentheses(tokens: Token[]): Int32Array {
  const closing = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'op') return;
    if (t.text === '(') open.push(i);
    else if (t.text === ')' && open.length > 0) closing[open.pop()!] = i;
  });
  return closing;
}

function parseMac(text: string): Uint8Array | null {
  // Cisco writes 0000.0c9f.f001, libpcap also takes 00000c9ff001; everyone else six bytes with : - or . between them.
  const cisco = /^([0-9a-f]{4})\.?([0-9a-f]{4})\.?([0-9a-f]{4})$/i.exec(text);
  const parts = cisco ? cisco.slice(1).flatMap((g) => [g.slice(0, 2), g.slice(2)]) : text.split(/[:.-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-f]{1,2}$/i.test(p))) return null;
  return new Uint8Array(parts.map((p) => parseInt(p, 16)));
}

/** An address (host: full mask) or network; IPv4 networks may omit trailing octets. */
function parseNet(text: string, isNet: boolean, maskText: string | null): { family: 4 | 6; addr: Uint8Array; mask: Uint8Array } | null {
  const [addrText, lenText] = text.split('/');
  if (addrText.includes(':')) {
    const addr = parseIpv6(addrText);
    if (!addr) return null;
    const bits = lenText === undefined ? 128 : Number(lenText);
    if (!(bits >= 0 && bits <= 128)) return null;
    return { family: 6, addr: maskBytes(addr, bits), mask: prefixMask(16, bits) };
  }
  const parts = addrText.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 255)) return null;
  if (!isNet && parts.length !== 4) return null;
  const addr = new Uint8Array(4);
  for (const [i, p] of parts.entries()) addr[i] = Number(p);
  let mask = prefixMask(4, lenText !== undefined ? Number(lenText) : isNet ? parts.length * 8 : 32);
  if (maskText) {
    const m = maskText.split('.');
    if (m.length !== 4) return null;
    mask = new Uint8Array(m.map(Number));
  }
  if (lenText !== undefined && !(Number(lenText) >= 0 && Number(lenText) <= 32)) return null;
  if (isNet && addr.some((b, i) => (b & ~mask[i]) !== 0)) throw new FilterSyntaxError(`non-network bits set in "${text}"`, 0);
  return { family: 4, addr: maskBytes(addr, 0, mask), mask };
}

function prefixMask(bytes: number, bits: number): Uint8Array {
  const mask = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) mask[i] = bits >= (i + 1) * 8 ? 0xff : bits > i * 8 ? (0xff << (8 - (bits - i * 8))) & 0xff : 0;
  return mask;
}

function maskBytes(addr: Uint8Array, bits: number, mask = prefixMask(addr.length, bits)): Uint8Array {
  return addr.map((b, i) => b & mask[i]);
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}
