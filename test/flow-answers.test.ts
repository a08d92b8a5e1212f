/**
 * The flow dictionary's answers (src/filter/flow-answers.ts) against the byte evaluator, which
 * filter-parity.test.ts holds to tcpdump: on every capture of tcpdump's test corpus (fuzzed
 * frames, odd tags, IPv6 extension headers, fragments) every valid expression of
 * filter-cases.ts must match the same frames both ways. tcpdump itself would take half an hour
 * here (one process per expression and file), hence this differential check.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { compileFilter } from '../src/filter/compile.ts';
import { matchingRows } from '../src/filter/match.ts';
import { ingest } from '../src/store/capture.ts';
import { ALWAYS_FALSE_CASES, FILTER_CASES, INVALID_FILTER_CASES } from './support/filter-cases.ts';
import { sharedCapturesDir } from './support/oracle.ts';

const shared = sharedCapturesDir();
const suiteDir = shared && path.join(shared, 'tcpdump-suite');
const skip = suiteDir && statSync(suiteDir, { throwIfNoEntry: false })?.isDirectory() ? false : '../shared/captures/tcpdump-suite not found: skipping';

const rejected = new Set([...INVALID_FILTER_CASES, ...ALWAYS_FALSE_CASES]);
const filters = FILTER_CASES.filter((e) => !rejected.has(e)).map((expression) => ({ expression, filter: compileFilter(expression) }));

test("flow answers = byte answers on tcpdump's test corpus", { skip }, async () => {
  const files = readdirSync(suiteDir!).sort();
  const failures: string[] = [];
  let compared = 0;
  let ethernetPackets = 0;
  for (const name of files) {
    const source = await nodeFileSource(path.join(suiteDir!, name));
    try {
      const { capture } = await ingest(source);
      if (!capture.interfaces.some((i) => i.linkType === 1)) continue;
      ethernetPackets += capture.store.length;
      for (const { expression, filter } of filters) {
        const byFlows = await matchingRows(capture, source, filter);
        const byBytes = await matchingRows(capture, source, filter, { useFlows: false });
        compared++;
        if (byFlows.length !== byBytes.length || byFlows.some((row, i) => row !== byBytes[i])) {
          failures.push(`${name} '${expression}': flows match ${byFlows.length} frames, bytes ${byBytes.length}`);
        }
      }
    } finally {
      await source.close?.();
    }
  }
  console.log(`${compared} (capture, expression) pairs over ${ethernetPackets} Ethernet-capture packets compared`);
  assert.ok(compared > 10_000, `only ${compared} pairs compared`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} differences`);
});
