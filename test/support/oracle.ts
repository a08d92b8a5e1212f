// Reference tools (tshark, tcpdump) used as oracles, so tests compare our
// readers against independent implementations instead of against themselves.
import { execFile, execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Tool = 'tshark' | 'tcpdump' | 'capinfos' | 'editcap' | 'mergecap';

/** The Debian/Ubuntu package that provides each tool (capinfos, editcap and mergecap come with tshark, via wireshark-common). */
const PACKAGE: Record<Tool, string> = { tshark: 'tshark', tcpdump: 'tcpdump', capinfos: 'tshark', editcap: 'tshark', mergecap: 'tshark' };

const MAX_BUFFER = 1 << 30;

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

let aptUpdated = false;

/** Path of the tool, installing its Debian package when we are root on an apt system. */
export function requireTool(name: Tool): string {
  const found = onPath(name);
  if (found) return found;
  const pkg = PACKAGE[name];
  const hint = `${name} is required by these tests but is not on PATH: install the Debian/Ubuntu package "${pkg}" (apt-get install -y ${pkg})`;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) throw new Error(hint);
  const opts: ExecFileSyncOptions = { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  try {
    if (!aptUpdated) {
      execFileSync('apt-get', ['update'], opts);
      aptUpdated = true;
    }
    execFileSync('apt-get', ['install', '-y', pkg], opts);
  } catch (e) {
    throw new Error(`${hint}; automatic install failed: ${(e as { stderr?: Buffer }).stderr ?? e}`);
  }
  const installed = onPath(name);
  if (!installed) throw new Error(hint);
  return installed;
}

interface RunResult {
  stdout: Buffer;
  stderr: string;
  status: number;
}

/** Resolves for any exit status: the reference tools report damaged files with a non-zero status after printing what they could read. */
function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'buffer', maxBuffer: MAX_BUFFER }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ stdout, stderr: stderr.toString('utf8'), status: err ? (err.code as number) : 0 });
    });
  });
}

export interface TsharkResult {
  /** One row per packet, one cell per field; repeated occurrences are joined with ','. */
  rows: string[][];
  /** 0, or 2 when tshark could not read the whole file (rows still holds the packets it read). */
  status: number;
  stderr: string;
}

export async function tsharkFields(file: string, fields: string[], extraArgs: string[] = []): Promise<TsharkResult> {
  const args = ['-r', file, ...extraArgs, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  const { stdout, stderr, status } = await run(requireTool('tshark'), [...args, ...fields.flatMap((f) => ['-e', f])]);
  // Status 1 is a usage error (e.g. an unknown field name): a bug in the test, not a property of the file.
  if (status === 1) throw new Error(`tshark ${args.join(' ')} failed: ${stderr}`);
  const text = stdout.toString('utf8');
  const rows =
    text === ''
      ? []
      : text
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => line.split('\t'));
  return { rows, status, stderr };
}

/**
 * capinfos's packet count for each file it reads: the whole file, or the packets before the
 * damage it reports. Files it refuses are absent from the map. One run for all the files.
 */
export async function capinfosCounts(files: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (files.length === 0) return counts;
  const { stdout, stderr } = await run(requireTool('capinfos'), ['-c', '-M', '-T', '-r', ...files]);
  for (const line of stdout.toString('utf8').split('\n')) {
    const tab = line.lastIndexOf('\t');
    if (tab > 0) counts.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  // A damaged file is left out of the table; stderr says how many packets came before the damage.
  for (const m of stderr.matchAll(/An error occurred after reading (\d+) packets from "(.*)"\./g)) counts.set(m[2], Number(m[1]));
  return counts;
}

/** Each record of a pcap file (header and data) as a string, so records can be compared for identity. */
export function pcapRecordKeys(pcap: Buffer): string[] {
  if (pcap.length < 24) return [];
  const le = pcap.readUInt32LE(0) === 0xa1b23c4d || pcap.readUInt32LE(0) === 0xa1b2c3d4;
  const keys: string[] = [];
  for (let off = 24; off + 16 <= pcap.length; ) {
    const end = off + 16 + (le ? pcap.readUInt32LE(off + 8) : pcap.readUInt32BE(off + 8));
    keys.push(pcap.toString('latin1', off, end));
    off = end;
  }
  return keys;
}

export interface TcpdumpResult {
  /** 1-based numbers, in the input file, of the packets the expression matched. */
  frames: number[];
  status: number;
  stderr: string;
}

/**
 * tcpdump's own packet number (-#) counts matched packets only, so this
 * re-writes the file through tcpdump twice (all packets, then matching
 * ones) and locates each match in the full list. Identical records get the
 * same verdict from a filter, so the first unused identical record is the
 * right one.
 */
export async function tcpdumpFrames(file: string, expr?: string): Promise<TcpdumpResult> {
  const tcpdump = requireTool('tcpdump');
  const base = ['-n', '--time-stamp-precision=nano', '-r', file, '-w', '-'];
  const all = await run(tcpdump, base);
  const matched = expr === undefined ? all : await run(tcpdump, [...base, expr]);
  if (matched.status !== 0 && all.status === 0) throw new Error(`tcpdump rejected expression ${expr}: ${matched.stderr}`);
  const allKeys = pcapRecordKeys(all.stdout);
  const frames: number[] = [];
  let next = 0;
  for (const key of pcapRecordKeys(matched.stdout)) {
    while (next < allKeys.length && allKeys[next] !== key) next++;
    if (next === allKeys.length) throw new Error(`tcpdump matched a packet not in its unfiltered output of ${file}`);
    frames.push(++next);
  }
  return { frames, status: matched.status, stderr: matched.stderr };
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The shared real-capture corpus next to the repository, or null when it is absent. */
export function sharedCapturesDir(): string | null {
  const dir = path.resolve(repoRoot, '../shared/captures');
  return existsSync(dir) ? dir : null;
}

/** For node:test's `{ skip }` option: false when the corpus is present. */
export const sharedSkipReason: string | false = sharedCapturesDir() === null ? '../shared/captures not found: skipping real-capture tests' : false;
