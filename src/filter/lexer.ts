/**
 * Tokens of tcpdump's filter language (pcap-filter(7)). Addresses (10.0.0.1, 10.0.0.0/8,
 * aa:bb:cc:dd:ee:ff, fe80::1) and port ranges (1000-2000) come out as single words; each
 * token keeps its position so errors can say where.
 *
 * Numbers are read as libpcap's scanner reads them (scanner.l, `stou`): decimal, 0x hex, or
 * octal after a leading 0, unsigned 32 bits. A number that does not fit carries libpcap's
 * words in `problem`; the parser refuses it when it reaches it, as yacc would.
 */
export type TokenKind = 'word' | 'number' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  value: number;
  at: number;
  /** Why this number cannot be read, in libpcap's words. */
  problem?: string;
}

const OPERATORS = ['&&', '||', '<<', '>>', '<=', '>=', '!=', '==', '(', ')', '[', ']', ':', '!', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^'];
// libpcap's MAC rule also takes twelve hex digits with no separator, ahead of a number of the same length.
const MAC = /^([0-9a-f]{1,2}([:.-][0-9a-f]{1,2}){5}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})$/i;
const IPV6 = /^[0-9a-f:]*::?[0-9a-f:.]*(\/\d+)?$/i;
const IPV4 = /^\d+(\.\d+){0,3}(\/\d+)?$/;
const NUMBER = /^(0x[0-9a-f]+|\d+)$/i;
const RUN = /\\?[A-Za-z0-9_][A-Za-z0-9_.:\-/]*/y;
const SPACE = /\s/;

export class LexError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (SPACE.test(text[i])) {
      i++;
      continue;
    }
    RUN.lastIndex = i;
    const run = RUN.exec(text);
    if (run) {
      const word = wordAt(run[0]);
      tokens.push(NUMBER.test(word) && !MAC.test(word) ? numberToken(word, i) : { kind: 'word', text: word, value: NaN, at: i });
      i += word.length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new LexError(`unexpected character ${characterName(text.codePointAt(i)!)}`, i);
    tokens.push({ kind: 'op', text: op, value: NaN, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', value: NaN, at: text.length });
  return tokens;
}

/** Printable ASCII as itself; anything else (NUL, control, non-ASCII) by its code point, so the message stays one readable line. */
function characterName(code: number): string {
  return code > 0x20 && code < 0x7f ? `'${String.fromCodePoint(code)}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The longest prefix of a run of word characters that is one token. */
function wordAt(run: string): string {
  if (MAC.test(run) || (run.includes('::') || (run.match(/:/g)?.length ?? 0) >= 2 ? IPV6.test(run) : false) || IPV4.test(run)) return run;
  if (/^\d+-\d+$/.test(run)) return run;
  let end = run.search(/[:/]/);
  if (end < 0) end = run.length;
  let word = run.slice(0, end);
  // A dash belongs to a name (tcp-syn, icmp-echo) but is subtraction after a number.
  if (!/^\\?[A-Za-z_]/.test(word) && word.includes('-')) word = word.slice(0, word.indexOf('-'));
  if (/^\d/.test(word) && word.includes('.') && !IPV4.test(word)) word = word.slice(0, word.indexOf('.'));
  return word;
}

function numberToken(word: string, at: number): Token {
  const read = readNumber(word);
  return typeof read === 'number' ? { kind: 'number', text: word, value: read, at } : { kind: 'number', text: word, value: NaN, at, problem: read };
}

const RADIX = { hex: 16, octal: 8, decimal: 10 };

/**
 * libpcap's `stou`: the value, or its error in its words. Digit by digit as stou goes, each
 * checked before the running value grows past 32 bits, so the first problem in the text is
 * the one named (`09...` is non-octal however long it is).
 */
function readNumber(word: string): number | string {
  const base = /^0x/i.test(word) ? 'hex' : word.length > 1 && word[0] === '0' ? 'octal' : 'decimal';
  const radix = RADIX[base];
  let n = 0;
  for (let i = base === 'hex' ? 2 : base === 'octal' ? 1 : 0; i < word.length; i++) {
    const digit = parseInt(word[i], 16);
    if (digit >= radix) return `number ${word} contains non-octal digit`;
    // n stays below 2^32 here, so n * radix + digit is exact in a double.
    n = n * radix + digit;
    if (n > 0xffffffff) return `number ${word} overflows 32 bits`;
  }
  return n;
}
