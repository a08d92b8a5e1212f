/**
 * Filter text from a hostile user, against tcpdump run at test time: depth, length, numbers
 * out of range, bytes that are not text. Every expression returns within a second and throws
 * nothing but FilterSyntaxError. Where tcpdump refuses, we refuse, in libpcap's words where
 * libpcap has its own (its parser's "can't parse filter expression: syntax error" and "memory
 * exhausted" name nothing, so there our words are ours); where it accepts, we match the same
 * frames of small real captures. Our own limits (65,536 characters, 1,000 levels of nesting)
 * are checked for our words; tcpdump is asked too where it answers quickly.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { compileFilter, FilterSyntaxError, MAX_FILTER_CHARS, MAX_NESTING } from '../src/filter/compile.ts';
import { matchingRows } from '../src/filter/match.ts';
import { ingest } from '../src/store/capture.ts';
import { pcapRecordKeys, requireTool, sharedCapturesDir, sharedSkipReason } from './support/oracle.ts';

const LENGTH_WORDS = 'expression longer than 65,536 characters';
const DEPTH_WORDS = 'expression nested too deeply';
/** "A second or so": our compile measures well under 0.1 s for the largest of these. */
const COMPILE_BUDGET_MS = 1000;

interface Case {
  name: string;
  text: string;
  /** Our own limit: the words our refusal must contain. */
  ours?: string;
  /** Why tcpdump is not asked: it cannot be given the text, or takes minutes to accept what our limit refuses. */
  notAsked?: string;
  /** What tcpdump is given instead: the same filter, short enough for its optimiser, which takes seconds over the long form. */
  tcpdumpText?: string;
}

/** Terms joined by `sep`, as many as fit in `chars`. */
function chain(term: (i: number) => string, sep: string, chars: number): string {
  const parts: string[] = [];
  let length = -sep.length;
  for (let i = 0; ; i++) {
    const t = term(i);
    if (length + sep.length + t.length > chars) return parts.join(sep);
    parts.push(t);
    length += sep.length + t.length;
  }
}

const PROTOCOLS = ['ip', 'arp', 'ip6', 'tcp', 'udp'];

export const CASES: Case[] = [
  // Depth.
  { name: '999 parentheses around a relation', text: `${'('.repeat(999)}len > 100${')'.repeat(999)}` },
  { name: '999 parentheses around arithmetic', text: `${'('.repeat(999)}len${')'.repeat(999)} > 100` },
  { name: '999 nots', text: `${'not '.repeat(999)}tcp` },
  { name: '999 nested groups with and', text: `${'(ip and '.repeat(999)}tcp${')'.repeat(999)}` },
  { name: '999 nested loads', text: `${'ether['.repeat(999)}0${']'.repeat(999)} = 0` },
  { name: '10,000 parentheses', text: `${'('.repeat(10_000)}ip${')'.repeat(10_000)}`, ours: DEPTH_WORDS },
  {
    name: '1,001 parentheses (one past our limit)',
    text: `${'('.repeat(MAX_NESTING + 1)}ip${')'.repeat(MAX_NESTING + 1)}`,
    ours: DEPTH_WORDS,
    notAsked: 'tcpdump allows up to about 10,000',
  },
  { name: '50,000 !', text: `${'!'.repeat(50_000)}ip`, ours: DEPTH_WORDS },
  { name: '50,000 nots (200 KB)', text: `${'not '.repeat(50_000)}ip`, ours: LENGTH_WORDS },
  { name: '20,000 unary minuses', text: `len = ${'- '.repeat(20_000)}1`, ours: DEPTH_WORDS },
  { name: '10,000 unclosed parentheses', text: `${'('.repeat(10_000)}ip`, ours: DEPTH_WORDS },
  // Length and long flat chains.
  { name: '16 KB or-chain', text: chain((i) => PROTOCOLS[i % 5], ' or ', 16_384) },
  { name: '64 KB or-chain', text: chain((i) => PROTOCOLS[i % 5], ' or ', MAX_FILTER_CHARS), tcpdumpText: PROTOCOLS.join(' or ') },
  { name: '16 KB alternating and/or', text: chain((i) => PROTOCOLS[i % 5], ' or ', 16_384).replace(/ or (tcp|udp)/g, ' and $1') },
  {
    name: '64 KB alternating and/or',
    text: chain((i) => PROTOCOLS[i % 5], ' or ', MAX_FILTER_CHARS).replace(/ or (tcp|udp)/g, ' and $1'),
    notAsked: 'tcpdump takes seconds over it',
  },
  { name: '2,000 vlan tests', text: chain((i) => `vlan ${i % 4096}`, ' || ', 16_000) },
  { name: '64 KB ||-chain of vlan tests', text: chain((i) => `vlan ${i % 4096}`, ' || ', MAX_FILTER_CHARS), notAsked: 'tcpdump takes seconds over it' },
  { name: '100 port terms', text: chain((i) => `port ${i}`, ' or ', 1090) },
  {
    name: '64 KB of port terms',
    text: chain((i) => `port ${i}`, ' or ', MAX_FILTER_CHARS),
    tcpdumpText: `portrange 0-${chain((i) => `port ${i}`, ' or ', MAX_FILTER_CHARS).split(' or ').length - 1}`,
  },
  { name: '1 MB or-chain', text: chain((i) => `len = ${i}`, ' or ', 1 << 20), ours: LENGTH_WORDS, notAsked: 'tcpdump takes minutes over it' },
  { name: '100 KB expression', text: chain(() => 'ip', ' or ', 100_000), ours: LENGTH_WORDS, notAsked: 'tcpdump accepts it after a while' },
  { name: '65,536 characters exactly', text: `ip${' '.repeat(MAX_FILTER_CHARS - 2)}` },
  // Arithmetic.
  { name: '2,000-term sum', text: `len != ${chain(() => '1', '+', 3999)}` },
  {
    name: '64 KB sum',
    text: `len != ${chain(() => '1', '+', MAX_FILTER_CHARS - 7)}`,
    tcpdumpText: `len != ${chain(() => '1', '+', MAX_FILTER_CHARS - 7).split('+').length}`,
  },
  {
    name: '64 KB of mixed operators',
    text: `len != ${chain((i) => `${(i % 97) + 1}${'+*-|&^/%'[i % 8]}`, '', MAX_FILTER_CHARS - 10)}1`,
    notAsked: 'tcpdump takes many seconds over it',
  },
  { name: '15 right-nested sums (16 registers)', text: `len = ${'1+('.repeat(14)}1${')'.repeat(14)}` },
  { name: '16 right-nested sums (17 registers)', text: `len = ${'1+('.repeat(15)}1${')'.repeat(15)}` },
  { name: 'a load takes a register before it frees its offset', text: `len = ${'1+('.repeat(14)}ether[0]${')'.repeat(14)}` },
  { name: 'divisor 0', text: 'len / 0 = 1' },
  { name: 'divisor a load at offset 0', text: 'len / ether[0] = 1' },
  { name: 'divisor folds to 0', text: 'len / (2 - 2) = 1' },
  { name: 'divisor times 0', text: 'len / (len * 0) = 1' },
  { name: 'modulus by 0 times len', text: 'len % (0 * len) = 1' },
  { name: 'divisor len - len (not folded)', text: 'len / (len - len) = 1' },
  { name: 'shift by 32', text: 'len << 32 = 0' },
  { name: 'shift folds to 32', text: 'len << (30 + 2) = 1' },
  { name: 'shift by -1', text: 'len >> -1 = 1' },
  { name: 'shift by a load at offset 32', text: 'len << ether[32] = 1' },
  { name: 'constant shift by 32', text: '1 << 32 = 0' },
  { name: 'shift by 31', text: 'len >> 31 = 0' },
  { name: 'a load times 0 past the end', text: 'ether[1000] * 0 = 0' },
  { name: '0 over a load that can be 0', text: '0 / ether[14] = 0' },
  // Numbers.
  { name: '2^32 as an offset', text: 'ether[4294967296] = 0' },
  { name: '2^32 as a value', text: 'ip[0] = 4294967296' },
  { name: '400 digits', text: `len > 1${'0'.repeat(399)}` },
  { name: '65,000 digits', text: `len > ${'9'.repeat(65_000)}` },
  { name: '2^32 - 1', text: 'len < 4294967295' },
  { name: '0xffffffff', text: 'len != 0xffffffff' },
  { name: '0x1ffffffff', text: 'len != 0x1ffffffff' },
  { name: 'leading zeros in hex', text: 'len != 0x00000000000000000000000ffffffff' },
  { name: 'octal 09', text: 'len = 09' },
  { name: 'octal 010', text: 'len = 0100' },
  { name: 'octal overflow', text: 'len = 0040000000000' },
  { name: 'octal 2^32 - 1', text: 'len != 037777777777' },
  { name: 'non-octal after many zeros', text: `len = ${'0'.repeat(40)}4294967295` },
  { name: 'twelve digits are a MAC address', text: 'len > 100000000000' },
  { name: 'twelve digits as a MAC address', text: 'ether host 100000000000' },
  { name: 'negative', text: 'len > -1' },
  { name: 'negative 2^32 - 1', text: 'ether[0] = -4294967295' },
  { name: 'exponent', text: 'len > 1e9' },
  { name: 'decimal point', text: 'len = 1.5' },
  { name: '2^32 - 1 as an offset', text: 'ether[4294967295] = 0 or len > 0' },
  { name: 'offset that wraps to ether[13]', text: 'ip[4294967295] = 0' },
  { name: 'offset that wraps inside tcp', text: 'tcp[4294967295] != 0' },
  { name: 'data size 3', text: 'ether[0:3] = 0' },
  { name: 'data size 2^32 + 1', text: 'ether[0:4294967297] = 0' },
  { name: 'data size 02', text: 'ether[0:02] != 0' },
  { name: 'port 65536', text: 'port 65536' },
  { name: 'port 65535', text: 'port 65535 or port 0' },
  { name: 'port 0x50 and octal 0120', text: 'port 0x50 or port 0120' },
  { name: 'port 08', text: 'port 08' },
  { name: 'port 2^32', text: 'tcp port 4294967296' },
  { name: 'port range past 65535, first end first', text: 'portrange 70000-80000' },
  { name: 'port range end of 400 digits', text: `portrange 1-${'9'.repeat(400)}` },
  { name: 'port range start 2^31', text: 'portrange 2147483648-1' },
  { name: 'port range start 2^32 (libpcap wraps it to 0)', text: 'portrange 4294967296-1' },
  { name: 'port range 08-10 (decimal)', text: 'portrange 08-10' },
  { name: 'vlan 4096', text: 'vlan 4096' },
  { name: 'vlan 0x1000', text: 'vlan 0x1000' },
  { name: 'vlan 2^32', text: 'vlan 4294967296' },
  { name: 'vlan 4095', text: 'vlan 4095 or ip' },
  { name: 'less 2^32', text: 'less 4294967296' },
  { name: 'greater 0xffffffff', text: 'greater 0xffffffff or ip' },
  { name: 'ip proto 256', text: 'ip proto 256 or arp' },
  { name: 'ether proto 65536', text: 'ether proto 65536 or ip' },
  // Text that is not the language.
  { name: 'unbalanced: one open', text: '((ip)' },
  { name: 'unbalanced: one close', text: 'ip)' },
  { name: 'close then open', text: ')(' },
  { name: 'empty parentheses', text: '()' },
  { name: 'only spaces', text: '   \t  ' },
  { name: 'non-ASCII', text: 'ip and é' },
  { name: 'non-ASCII host', text: 'host ñ' },
  { name: 'emoji', text: 'tcp or 🐟' },
  { name: 'control character', text: 'ip\u0001' },
  { name: 'NUL byte', text: 'ip\0 and garbage', ours: 'unexpected character U+0000', notAsked: 'tcpdump reads C strings: it stops at the NUL' },
  { name: 'NUL bytes only', text: '\0\0\0', ours: 'unexpected character U+0000', notAsked: 'tcpdump reads C strings: it stops at the NUL' },
  { name: 'an object property name as a constant', text: 'len = constructor' },
  { name: 'an object property name as a protocol', text: 'ip proto \\toString' },
  { name: '__proto__ as an EtherType', text: 'ether proto \\__proto__' },
];

// ---- tcpdump ------------------------------------------------------------------------------

interface Run {
  stdout: Buffer;
  stderr: string;
  status: number;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(requireTool('tcpdump'), args, { encoding: 'buffer', maxBuffer: 1 << 28 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ stdout, stderr: stderr.toString('utf8'), status: err ? (err.code as number) : 0 });
    });
  });
}

type Verdict = { refused: true; words: string } | { refused: false; frames: number[] };

const tmp = mkdtempSync(path.join(tmpdir(), 'filter-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The expression goes in a file (-F): a 1 MB argument would not fit in argv. */
async function tcpdumpVerdict(file: string, allKeys: string[], c: Case, index: number): Promise<Verdict> {
  const expressionFile = path.join(tmp, `case-${index}.txt`);
  writeFileSync(expressionFile, c.tcpdumpText ?? c.text);
  const r = await run(['-n', '--time-stamp-precision=nano', '-r', file, '-w', '-', '-F', expressionFile]);
  if (r.status !== 0) {
    const words = r.stderr.split('\n').filter((line) => line.startsWith('tcpdump: '));
    return { refused: true, words: words.map((line) => line.slice('tcpdump: '.length)).join('; ') || r.stderr };
  }
  const frames: number[] = [];
  let next = 0;
  for (const key of pcapRecordKeys(r.stdout)) {
    while (next < allKeys.length && allKeys[next] !== key) next++;
    assert.ok(next < allKeys.length, `tcpdump matched a packet not in its unfiltered output of ${file}`);
    frames.push(++next);
  }
  return { refused: false, frames };
}

/** yacc's own messages name nothing: where tcpdump says only these, our words need not match. */
function isParserMessage(words: string): boolean {
  return words.startsWith("can't parse filter expression:");
}

// ---- the tests ----------------------------------------------------------------------------

type Ours = { ok: true; filter: ReturnType<typeof compileFilter>; ms: number } | { ok: false; error: unknown; ms: number };

function compileTimed(text: string): Ours {
  const started = performance.now();
  try {
    const filter = compileFilter(text);
    return { ok: true, filter, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - started };
  }
}

const ours = new Map(CASES.map((c) => [c, compileTimed(c.text)]));

test('every hostile expression compiles or is refused with a FilterSyntaxError, within a second', () => {
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'duplicate case names');
  for (const c of CASES) {
    const result = ours.get(c)!;
    assert.ok(result.ms < COMPILE_BUDGET_MS, `${c.name}: compileFilter took ${result.ms.toFixed(0)} ms`);
    if (!result.ok) assert.ok(result.error instanceof FilterSyntaxError, `${c.name}: compileFilter threw ${String(result.error)}, not a FilterSyntaxError`);
    if (c.ours) {
      assert.ok(!result.ok, `${c.name}: accepted; expected "${c.ours}"`);
      assert.ok((result.error as Error).message.includes(c.ours), `${c.name}: "${(result.error as Error).message}" does not say "${c.ours}"`);
      const { position } = result.error as FilterSyntaxError;
      assert.ok(Number.isInteger(position) && position >= 0 && position <= c.text.length, `${c.name}: position ${position}`);
    }
  }
});

const CAPTURES = ['docker-http-upgrade.pcap', 'VlanPackets.pcap'];

for (const name of CAPTURES) {
  test(`hostile filters against tcpdump: ${name}`, { skip: sharedSkipReason }, async (t) => {
    const file = path.join(sharedCapturesDir()!, name);
    const all = await run(['-n', '--time-stamp-precision=nano', '-r', file, '-w', '-']);
    assert.equal(all.status, 0, `tcpdump reads ${name} with an error: ${all.stderr.trim()}`);
    const allKeys = pcapRecordKeys(all.stdout);
    const asked = CASES.filter((c) => !c.notAsked);
    const verdicts = await Promise.all(asked.map((c) => tcpdumpVerdict(file, allKeys, c, CASES.indexOf(c))));

    const source = await nodeFileSource(file);
    try {
      const { capture } = await ingest(source);
      assert.equal(capture.store.length, allKeys.length, `packet count: tcpdump reads ${allKeys.length}`);
      for (const [i, c] of asked.entries()) {
        const verdict = verdicts[i];
        await t.test(c.name, async () => {
          const result = ours.get(c)!;
          if (verdict.refused) {
            assert.ok(!result.ok, `tcpdump refuses it (${verdict.words}) but compileFilter accepted it`);
            const message = (result.error as Error).message;
            if (!isParserMessage(verdict.words)) assert.ok(message.includes(verdict.words), `tcpdump says "${verdict.words}", we say "${message}"`);
            return;
          }
          if (!result.ok) throw new Error(`tcpdump accepts it, compileFilter threw: ${String(result.error)}`, { cause: result.error });
          for (const useFlows of [true, false]) {
            const started = performance.now();
            const rows = await matchingRows(capture, source, result.filter, { useFlows });
            const ms = performance.now() - started;
            assert.ok(ms < COMPILE_BUDGET_MS, `${useFlows ? 'flow answers' : 'bytes only'}: matching took ${ms.toFixed(0)} ms`);
            assert.deepEqual(
              Array.from(rows, (row) => row + 1),
              verdict.frames,
              useFlows ? 'flow answers' : 'bytes only',
            );
          }
        });
      }
    } finally {
      await source.close?.();
    }
  });
}

test('a long length-dependent filter over many flows leaves the packets to the bytes instead of a byte per flow and test', {
  skip: sharedSkipReason,
}, async () => {
  const { FlowAnswers, UNKNOWN } = await import('../src/filter/flow-answers.ts');
  const file = path.join(sharedCapturesDir()!, 'HSRP_election.pcap');
  const source = await nodeFileSource(file);
  try {
    const { capture } = await ingest(source, { forViewer: false });
    const filter = compileFilter('less 100 or greater 200 or udp');
    const root = filter.root!;
    const within = new FlowAnswers(root, capture);
    assert.equal(within.lengthDependent, true);
    const over = new FlowAnswers(root, capture, 0);
    assert.equal(over.lengthDependent, false);
    assert.ok(over.byFlow.every((a) => a === UNKNOWN));
    // Either way the same packets: the bytes decide what the flows do not.
    assert.deepEqual(await matchingRows(capture, source, filter, { useFlows: false }), await matchingRows(capture, source, filter));
  } finally {
    await source.close?.();
  }
});
