/**
 * The `packet-timeline` command: the same engine as the web workers, over Node files.
 *   stats FILE... [--json]
 */
import { nodeFileSource } from '../capture/node-file-source.ts';
import { NotACapture } from '../capture/packet-sink.ts';
import { ingest } from '../store/capture.ts';
import { summarize, type Stats } from '../store/summary.ts';

const USAGE = 'usage: packet-timeline stats FILE... [--json]';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const files = rest.filter((a) => !a.startsWith('--'));
  if (command !== 'stats' || files.length === 0) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const entries = [];
  for (const path of files) {
    const source = await openOrFail(path);
    if (!source) return 2;
    try {
      const { capture, read, ingestMs } = await ingest(source);
      entries.push({ capture, format: read.compressed ? `${read.format}.gz` : read.format, ingestMs });
    } catch (error) {
      if (!(error instanceof NotACapture)) throw error;
      process.stderr.write(`${path}: ${error.message}\n`);
      return 2;
    } finally {
      await source.close?.();
    }
  }
  const stats = summarize(entries);
  process.stdout.write(json ? JSON.stringify(stats) + '\n' : readable(stats));
  return 0;
}

async function openOrFail(path: string) {
  try {
    return await nodeFileSource(path);
  } catch (error) {
    process.stderr.write(`${path}: ${(error as Error).message}\n`);
    return null;
  }
}

function readable(stats: Stats): string {
  const lines: string[] = [];
  for (const f of stats.files) {
    lines.push(`${f.name}: ${f.format}, ${f.linkTypes.join(', ') || 'no interfaces'}, ${f.packets} packets`);
    for (const w of f.warnings) lines.push(`  warning: ${w}`);
  }
  lines.push(`packets: ${stats.packets}`);
  lines.push(`first:   ${stats.first ?? '-'}`);
  lines.push(`last:    ${stats.last ?? '-'}`);
  lines.push('protocols: ' + Object.entries(stats.protocols).map(([k, v]) => `${k} ${v}`).join(', '));
  lines.push(`store:   ${stats.storeBytes} bytes (${stats.bytesPerPacket} per packet), ingest ${stats.ingestMs} ms`);
  return lines.join('\n') + '\n';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`packet-timeline: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
