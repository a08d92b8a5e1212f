import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

// No React plugin: esbuild's automatic JSX runtime is all the app needs, and it keeps the
// install free of native bindings that fail on older npm versions.
// bench.html is a second page for `npm run bench`: the real worker, driven without React.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, rollupOptions: { input: { main: page('index.html'), bench: page('bench.html') } } },
  server: { host: '127.0.0.1' },
});
