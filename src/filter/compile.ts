/**
 * tcpdump's filter language (pcap-filter(7)) parsed into tests over frame bytes (ast.ts),
 * with libpcap's quirks: qualifiers carry over to bare ids after and/or ("host a or b",
 * "port (80 or 443)"), and a `vlan` shifts the offsets of everything after it.
 */
import type { Arith, Direction, Node, Test } from './ast.ts';
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

export function compileFilter(expression: string): CompiledFilter {
  try {
    const parser = new Parser(tokenize(expression));
    const root = parser.whole();
    if (root && !satisfiable(root)) throw new FilterSyntaxError('expression rejects all packets', 0);
    return { text: expression, root, vlanDepthAtEnd: parser.vlanDepth };
  } catch (error) {
    if (error instanceof LexError) throw new FilterSyntaxError(error.message, error.position);
    throw error;
  }
}

const PROTO_QUALIFIERS = new Set(['ether', 'link', 'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'sctp', 'icmp', 'icmp6', 'igmp', 'vrrp', 'carp', 'pim', 'ah', 'esp', 'stp']);
const RELOPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set([...PROTO_QUALIFIERS, 'src', 'dst', 'host', 'net', 'port', 'portrange', 'proto', 'gateway', 'and', 'or', 'not', 'vlan', 'mpls', 'less', 'greater', 'len', 'broadcast', 'multicast', 'mask']);

interface Qualifiers {
  proto?: string;
  dir?: Direction;
  type?: 'host' | 'net' | 'port' | 'portrange';
}

class Parser {
  private i = 0;
  private vlanShift = 0;

  get vlanDepth(): number {
    return this.vlanShift >> 2;
  }
  private carried: Qualifiers = {};

  constructor(private readonly tokens: Token[]) {}

  whole(): Node | null {
    if (this.peek().kind === 'end') return null;
    const node = this.orExpr();
    if (this.peek().kind !== 'end') this.fail(`unexpected '${this.peek().text}'`);
    return node;
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind !== 'end' && t.text === text;
  }

  private fail(message: string, at = this.peek().at): never {
    throw new FilterSyntaxError(message, at);
  }

  private expect(text: string): void {
    if (!this.is(text)) this.fail(`expected '${text}'${this.peek().kind === 'end' ? ' before the end' : ` but found '${this.peek().text}'`}`);
    this.i++;
  }

  /** "and" and "or" have the same precedence and associate left to right (pcap-filter(7)). */
  private orExpr(): Node {
    let left = this.unary();
    while (this.is('or') || this.is('||') || this.is('and') || this.is('&&')) {
      const op = this.next().text;
      left = { kind: op === 'or' || op === '||' ? 'or' : 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.is('not') || this.is('!')) {
      this.i++;
      return { kind: 'not', operand: this.unary() };
    }
    if (this.peek().kind === 'end') this.fail('expression ends too soon');
    if (this.is('(')) return this.parenthesised();
    if (this.startsRelation()) return this.relation();
    return this.primitive();
  }

  /** "(" starts either a sub-expression or parenthesised arithmetic: try the relation first. */
  private parenthesised(): Node {
    const start = this.i;
    const shift = this.vlanShift;
    try {
      const relation = this.relation();
      return relation;
    } catch {
      this.i = start;
      this.vlanShift = shift;
    }
    this.expect('(');
    const node = this.orExpr();
    this.expect(')');
    return node;
  }

  private startsRelation(): boolean {
    const t = this.peek();
    if (t.text === 'len' || t.text === '-') return true;
    if (LOAD_PROTOCOLS.has(t.text) && this.is('[', 1)) return true;
    if (t.kind === 'number' || (t.kind === 'word' && t.text in CONSTANTS)) {
      const after = this.peek(1).text;
      return RELOPS.has(after) || ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>'].includes(after);
    }
    return false;
  }

  private relation(): Node {
    const left = this.arith();
    const op = this.next();
    if (!RELOPS.has(op.text)) this.fail(`expected a comparison (=, !=, <, <=, >, >=)`, op.at);
    const right = this.arith();
    return { kind: 'relation', op: op.text === '==' ? '=' : op.text, left, right };
  }

  // Arithmetic, lowest precedence first: | ^, &, << >>, + -, * / %, unary minus.
  private arith(): Arith {
    return this.binary(0);
  }

  private static readonly LEVELS = [['|', '^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Arith {
    if (level === Parser.LEVELS.length) return this.operand();
    let left = this.binary(level + 1);
    while (Parser.LEVELS[level].includes(this.peek().text) && this.peek().kind === 'op') {
      const op = this.next();
      const right = this.binary(level + 1);
      if ((op.text === '/' || op.text === '%') && right.kind === 'num' && right.value === 0) this.fail(op.text === '/' ? 'division by zero' : 'modulus by zero', op.at);
      left = { kind: 'bin', op: op.text, left, right };
    }
    return left;
  }

  private operand(): Arith {
    const t = this.next();
    if (t.text === '-' && t.kind === 'op') return { kind: 'neg', operand: this.operand() };
    if (t.text === '(') {
      const inner = this.arith();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'number') return { kind: 'num', value: t.value };
    if (t.text === 'len') return { kind: 'len' };
    if (t.text in CONSTANTS) return { kind: 'num', value: CONSTANTS[t.text] };
    if (LOAD_PROTOCOLS.has(t.text) && this.is('[')) {
      this.i++;
      const offset = this.arith();
      let size = 1;
      if (this.is(':')) {
        this.i++;
        const s = this.next();
        if (s.kind !== 'number' || ![1, 2, 4].includes(s.value)) this.fail('data size must be 1, 2 or 4', s.at);
        size = s.value;
      }
      this.expect(']');
      return { kind: 'load', proto: t.text === 'link' ? 'ether' : t.text, offset, size, shift: this.vlanShift };
    }
    return this.fail(t.kind === 'end' ? 'expression ends too soon' : `unexpected '${t.text}' in arithmetic`, t.at);
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
      const type = t.kind === 'number' ? t.value : ETHER_TYPES[name];
      if (type === undefined) this.fail(`unknown ether proto '${t.text}'`, t.at);
      return this.etherType(type);
    }
    const proto = t.kind === 'number' ? t.value : IP_PROTOCOLS[name];
    if (proto === undefined || proto > 255) this.fail(`unknown ip proto '${t.text}'`, t.at);
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
    if (proto === 'vrrp' || proto === 'carp' || proto === 'igmp' || proto === 'pim' || proto === 'icmp') return this.test({ kind: 'ipproto', family: proto === 'pim' ? 0 : 4, proto: IP_PROTOCOLS[proto] });
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
    return tests.reduce((a, b) => ({ kind: 'or', left: a, right: b }));
  }

  /** "net 10.0.0.0 mask 255.0.0.0" */
  private maskAfter(): string | null {
    if (!this.is('mask')) return null;
    this.i++;
    return this.next().text;
  }

  private portTest(q: Qualifiers, t: Token, dir: Direction): Node {
    let lo = t.value;
    let hi = t.value;
    if (q.type === 'portrange') {
      const m = /^(\d+)-(\d+)$/.exec(t.text);
      if (m) [lo, hi] = [Number(m[1]), Number(m[2])].sort((a, b) => a - b);
    }
    if (!(lo >= 0) || !(hi >= 0)) this.fail(`'${t.text}' is not a port${q.type === 'portrange' ? ' range' : ''}`, t.at);
    if (hi > 65535) this.fail(`illegal port number ${hi} > 65535`, t.at);
    const transports = q.proto === 'tcp' ? [6] : q.proto === 'udp' ? [17] : q.proto === 'sctp' ? [132] : [6, 17, 132];
    if (q.proto && !['tcp', 'udp', 'sctp', 'ip', 'ip6'].includes(q.proto)) this.fail(`illegal qualifier of 'port'`, t.at);
    const family = q.proto === 'ip' ? 4 : q.proto === 'ip6' ? 6 : 0;
    const tests = transports.map((transport) => this.test({ kind: 'port', transport, family, dir, lo, hi }));
    return tests.reduce((a, b) => ({ kind: 'or', left: a, right: b }));
  }
}

function parseMac(text: string): Uint8Array | null {
  // Cisco writes 0000.0c9f.f001; everyone else six bytes with : - or . between them.
  const cisco = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i.exec(text);
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
  parts.forEach((p, i) => (addr[i] = Number(p)));
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
