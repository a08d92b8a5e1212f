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
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/**
 * The top floors: the page (src/ui, and the bench page beside it) runs what it imports in the
 * browser's main thread, so from the engine's layers it takes types only, values only from
 * the UI itself, share/ (links are read in the page) and decode/'s name tables; the workers
 * wire the session and the capture readers. None of them uses Node's modules.
 */
const PAGE_VALUES: Record<string, string[]> = {
  ui: ['ui', 'share', 'decode'],
  bench: ['bench', 'ui'],
  workers: ['session', 'capture', 'workers'],
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
      if (spec.startsWith('node:')) assert.ok(NODE_ALLOWED.some((p) => path.startsWith(p)), `${path} imports ${spec}: Node modules only in the CLI and the Node byte source`);
      if (layer in PAGE_VALUES) {
        if (spec.startsWith('.') && !typeOnly) assert.ok(PAGE_VALUES[layer].includes(targetOf(file, spec)), `${path} imports ${spec}: ${layer} takes only types from ${targetOf(file, spec)}`);
        continue;
      }
      assert.ok(!/^react(-dom)?(\/|$)/.test(spec), `${path} imports ${spec}: React belongs in src/ui`);
      if (spec.startsWith('.')) {
        const target = targetOf(file, spec);
        assert.ok(MAY_IMPORT[layer]?.includes(target), `${path} imports ${spec}: ${layer} may not depend on ${target}`);
      }
    }
    if (!(layer in PAGE_VALUES)) assert.ok(!/\bdocument\.|\bwindow\./.test(text), `${path} touches the DOM: only src/ui may`);
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
      else assert.ok(spec.startsWith('node:') && KIT_NODE_ALLOWED.includes(path), `${path} imports ${spec}: the kit uses no packages, and Node's modules only in ${KIT_NODE_ALLOWED.join(', ')}`);
    }
  });
}
