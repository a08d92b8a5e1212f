/**
 * Folders import one way: ui -> workers -> store -> decode -> capture. Only src/ui may use
 * React or the DOM; only the CLI and the Node byte source may use Node's modules.
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

for (const file of sources(join(root, 'src'))) {
  const path = relative(root, file);
  const layer = path.split('/')[1];
  test(`imports of ${path}`, () => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    if (layer === 'ui' || layer === 'bench') return;
    for (const spec of imports) {
      assert.ok(!/^react(-dom)?(\/|$)/.test(spec), `${path} imports ${spec}: React belongs in src/ui`);
      if (spec.startsWith('node:')) assert.ok(NODE_ALLOWED.some((p) => path.startsWith(p)), `${path} imports ${spec}: Node modules only in the CLI and the Node byte source`);
      if (spec.startsWith('.')) {
        const target = relative(join(root, 'src'), join(file, '..', spec)).split('/')[0];
        assert.ok(MAY_IMPORT[layer]?.includes(target), `${path} imports ${spec}: ${layer} may not depend on ${target}`);
      }
    }
    assert.ok(!/\bdocument\.|\bwindow\./.test(text), `${path} touches the DOM: only src/ui may`);
  });
}
