/**
 * Generate (or reuse) the bench capture and print its location as JSON.
 *
 *   node --import tsx bench/generate-cli.ts [packets] [seed]
 */
import { ensureBenchCapture } from './generate.ts';

function parseArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`usage: generate-cli.ts [packets] [seed]  (bad ${name}: ${value})\n`);
    process.exit(2);
  }
  return n;
}

const [packetsArg, seedArg] = process.argv.slice(2);
const result = await ensureBenchCapture({ packets: parseArg(packetsArg, 'packets'), seed: parseArg(seedArg, 'seed') });
process.stdout.write(`${JSON.stringify(result)}\n`);
