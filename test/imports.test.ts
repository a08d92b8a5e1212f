/**
 * Folders import one way: ui -> workers -> store -> decode -> capture. Only src/ui may use
 * React or the DOM; only the CLI and the Node byte source may use Node's modules. Product
 * code (src/, workers/) takes nothing from the dev tooling (kit/, test/, e2e/, bench/,
 * scripts/), and the packet kit takes nothing from the product, so it stays an oracle.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const LAYERS = ['capture', 'decode', 'store', 'filter', 'analysis', 'export', 'share', 'session'];
const MAY_IMPORT: Record<string, string[]> = {
  capture: ['capture'],
  decode: ['decode'],
  store: ['store', 'decode', 'capture'],
  filter: ['filter', 'store', 'decode', 'capture'],
  analysis: ['analysis', 'filter', 'store', 'decode', 'capture'],
  export: ['export', 'filter', 'store', 'decode', 'capture'],
  share: ['share', 'store', 'decode', 'capture'],
  // The worker's facade: it wires the layers below for the UI's questions.
  session: ['session', 'analysis', 'filter', 'export', 'share', 'store', 'decode', 'capture'],
  cli: [...LAYERS, 'cli'],
};
const NODE_ALLOWED = ['src/cli/', 'src/capture/node-file-source.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/**
 * The top floors: the page (src/ui, and the bench page beside it) runs what it imports in the
 * browser's main thread. From the engine it takes types only, and only from the session's
 * contract (src/session/contract.ts, every type that crosses the worker boundary) and
 * share/ (links are read in the page); values only from the UI itself, share/ and decode/'s
 * name tables. The worker takes the contract's types and one value of the session, the
 * facade that answers it. None of them uses Node's modules.
 */
const CONTRACT = 'src/session/contract.ts';
const TOP_FLOORS: Record<string, { values: string[]; types: string[] }> = {
  ui: { values: ['src/ui/', 'src/share/', 'src/decode/'], types: ['src/ui/', 'src/share/', CONTRACT] },
  bench: { values: ['src/bench/', 'src/ui/'], types: ['src/bench/', 'src/ui/', 'src/share/', CONTRACT] },
  workers: { values: ['workers/', 'src/session/workspace.ts'], types: ['workers/', CONTRACT] },
};

/** Every module an import, re-export or dynamic import names, type-only ones too. */
function specsOf(text: string): string[] {
  return [...text.matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The top folder of the repository a relative import lands in. */
function topOf(file: string, spec: string): string {
  return relative(root, join(file, '..', spec)).split('/')[0];
}

const PRODUCT = ['src', 'workers'];

/** The top folder an import lands in: a layer of src/, or `workers`. */
function targetOf(file: string, spec: string): string {
  const to = relative(root, join(file, '..', spec)).split('/');
  return to[0] === 'src' ? to[1] : to[0];
}

for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'workers'))]) {
  const path = relative(root, file);
  const layer = path.startsWith('workers/') ? 'workers' : path.split('/')[1];
  test(`imports of ${path}`, () => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/^import( type)?[^'"]*['"]([^'"]+)['"]/gm)].map((m) => ({ typeOnly: Boolean(m[1]), spec: m[2] }));
    assert.ok(imports.length > 0 || !/^import/m.test(text), `${path}: imports found`);
    for (const spec of specsOf(text).filter((x) => x.startsWith('.'))) {
      assert.ok(PRODUCT.includes(topOf(file, spec)), `${path} imports ${spec}: product code takes nothing from ${topOf(file, spec)}/, which is dev tooling`);
    }
    for (const { typeOnly, spec } of imports) {
      if (spec.startsWith('node:'))
        assert.ok(
          NODE_ALLOWED.some((p) => path.startsWith(p)),
          `${path} imports ${spec}: Node modules only in the CLI and the Node byte source`,
        );
      if (layer in TOP_FLOORS) {
        if (!spec.startsWith('.')) continue;
        const to = relative(root, join(file, '..', spec));
        const allowed = TOP_FLOORS[layer][typeOnly ? 'types' : 'values'];
        assert.ok(
          allowed.some((p) => to.startsWith(p)),
          `${path} imports ${typeOnly ? 'types' : 'values'} from ${to}: ${layer} may take ${typeOnly ? 'types' : 'values'} only from ${allowed.join(', ')}`,
        );
        continue;
      }
      assert.ok(!/^react(-dom)?(\/|$)/.test(spec), `${path} imports ${spec}: React belongs in src/ui`);
      if (spec.startsWith('.')) {
        const target = targetOf(file, spec);
        assert.ok(MAY_IMPORT[layer]?.includes(target), `${path} imports ${spec}: ${layer} may not depend on ${target}`);
      }
    }
    if (!(layer in TOP_FLOORS)) assert.ok(!/\bdocument\.|\bwindow\./.test(text), `${path} touches the DOM: only src/ui may`);
  });
}

/** The kit's writers and builders run in a browser too; only its gzip wraps Node's zlib. */
const KIT_NODE_ALLOWED = ['kit/gzip.ts'];

for (const file of sources(join(root, 'kit'))) {
  const path = relative(root, file);
  test(`imports of ${path}`, () => {
    const text = readFileSync(file, 'utf8');
    const specs = specsOf(text);
    assert.ok(specs.length > 0 || !/^(import|export)\b.*\bfrom\b/m.test(text), `${path}: imports found`);
    for (const spec of specs) {
      if (spec.startsWith('.')) assert.equal(topOf(file, spec), 'kit', `${path} imports ${spec}: the kit takes nothing from ${topOf(file, spec)}/`);
      else
        assert.ok(
          spec.startsWith('node:') && KIT_NODE_ALLOWED.includes(path),
          `${path} imports ${spec}: the kit uses no packages, and Node's modules only in ${KIT_NODE_ALLOWED.join(', ')}`,
        );
    }
  });
}

test('the session contract is types only: nothing in it runs', () => {
  const text = readFileSync(join(root, CONTRACT), 'utf8');
  const statements = [...text.matchAll(/^(import|export)\b[^\n]*/gm)].map((m) => m[0]);
  assert.ok(statements.length > 10, 'the contract has its imports and exports');
  for (const line of statements) assert.match(line, /^(import type |export type |export interface )/, `${CONTRACT}: ${line}`);
});
