/** Runs the CLI as a process, as users run it (scripts/cli.mjs bundles src/cli/main.ts). */
import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Resolves for any exit status; env is added to this process's environment. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'scripts/cli.mjs'), ...args],
      { maxBuffer: 1 << 28, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
