/**
 * The `packet-timeline` command: the same engine as the web workers, over Node files.
 *   stats FILE... [--json]
 */
import { NotACapture } from '../capture/packet-sink.ts';
import { summarize, type Stats } from '../store/summary.ts';
import { fileSummary } from './file-summary.ts';

const USAGE = 'usage: packet-timeline stats FILE... [--json]';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const files = rest.filter((a) => !a.startsWith('--'));
  if (command !== 'stats' || files.length === 0) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const parts = [];
  for (const path of files) {
    try {
      parts.push(await fileSummary(path));
    } catch (error) {
      if (!(error instanceof NotACapture) && !(error as NodeJS.ErrnoException).code) throw error;
      process.stderr.write(`${path}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const stats = summarize(parts);
  process.stdout.write(json ? JSON.stringify(stats) + '\n' : readable(stats));
  return 0;
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
