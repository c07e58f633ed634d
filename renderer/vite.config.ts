// Builds the Svelte UI into dist/renderer/ (scripts/build.mjs runs this with the repo
// root as cwd). base './' so the same files load from a file or custom-protocol URL in
// Electron and from the web bridge's origin in a browser.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// `npm run dev:renderer` with a running bridge: start `node bin/holdout.js serve --port 0`,
// then `HOLDOUT_BRIDGE=http://127.0.0.1:<port> npm run dev:renderer` and open
// http://localhost:5173/?token=<token>. API calls, events and media are proxied to the
// bridge, whose Host and Origin checks see the bridge's own address.
const bridge = process.env.HOLDOUT_BRIDGE;
const toBridge = bridge
  ? {
      target: bridge,
      changeOrigin: true,
      configure(proxy: { on(event: 'proxyReq', fn: (req: { removeHeader(name: string): void }) => void): void }) {
        proxy.on('proxyReq', (req) => req.removeHeader('origin'));
      },
    }
  : undefined;

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: path.resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // The polyfill would be the only script not loaded from a file; the CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: toBridge ? { '/api': toBridge, '/media': toBridge } : undefined,
  },
});
