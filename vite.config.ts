import { defineConfig } from 'vite';

// No React plugin: esbuild's automatic JSX runtime is all the app needs, and it keeps the
// install free of native bindings that fail on older npm versions.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
});
