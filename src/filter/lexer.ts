/**
 * Tokens of tcpdump's filter language (pcap-filter(7)). Addresses (10.0.0.1, 10.0.0.0/8,
 * aa:bb:cc:dd:ee:ff, fe80::1) and port ranges (1000-2000) come out as single words; each
 * token keeps its position so errors can say where.
 */
export type TokenKind = 'word' | 'number' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  value: number;
  at: number;
}

const OPERATORS = ['&&', '||', '<<', '>>', '<=', '>=', '!=', '==', '(', ')', '[', ']', ':', '!', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^'];
const MAC = /^([0-9a-f]{1,2}([:.-][0-9a-f]{1,2}){5}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$/i;
const IPV6 = /^[0-9a-f:]*::?[0-9a-f:.]*(\/\d+)?$/i;
const IPV4 = /^\d+(\.\d+){0,3}(\/\d+)?$/;

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
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const run = /^\\?[A-Za-z0-9_][A-Za-z0-9_.:\-/]*/.exec(text.slice(i));
    if (run) {
      const word = wordAt(run[0]);
      tokens.push({ kind: /^(0x[0-9a-f]+|\d+)$/i.test(word) ? 'number' : 'word', text: word, value: numberOf(word), at: i });
      i += word.length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new LexError(`unexpected character '${text[i]}'`, i);
    tokens.push({ kind: 'op', text: op, value: NaN, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', value: NaN, at: text.length });
  return tokens;
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

function numberOf(word: string): number {
  if (/^0x[0-9a-f]+$/i.test(word)) return parseInt(word, 16);
  if (/^0[0-7]+$/.test(word)) return parseInt(word, 8);
  if (/^\d+$/.test(word)) return Number(word);
  return NaN;
}
