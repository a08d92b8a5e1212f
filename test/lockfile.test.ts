/**
 * `npm ci` installs exactly what package-lock.json lists and refuses a lock file that lacks a
 * package another one depends on. A lock file written by `npm install` on one platform can
 * leave out the native packages of the others (Rollup's, Biome's), which breaks `npm ci` on
 * macOS and Windows only: checked here, offline, on every platform at once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

interface Locked {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, Locked>;
};
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, Record<string, string> | undefined>;

/** Where npm resolves `name` from the package at `from`: its own node_modules, then each parent's. */
function resolve(from: string, name: string): Locked | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const found = lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`];
    if (found || !dir) return found;
  }
}

test('the lock file is npm 7+ format (packages map)', () => {
  assert.ok(lock.lockfileVersion >= 2);
});

test("every package's dependencies, optional native ones of every platform included, are in the lock file", () => {
  const missing: string[] = [];
  for (const [at, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      if (!resolve(at, name)) missing.push(`${at || 'the project'} -> ${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('package.json and the lock file list the same direct dependencies', () => {
  const root = lock.packages[''] as Locked & { devDependencies?: Record<string, string> };
  assert.deepEqual(root.dependencies, pkg.dependencies);
  assert.deepEqual(root.devDependencies, pkg.devDependencies);
});

test('native packages are locked for macOS, Windows and Linux alike', () => {
  const oses = new Set(Object.values(lock.packages).flatMap((p) => p.os ?? []));
  for (const os of ['darwin', 'win32', 'linux']) assert.ok(oses.has(os), `no native package locked for ${os}`);
});
