// The console's build: Preact through Vite, served by `bulwark server` at /console/ (dist/web). No inline script
// or style ends up in index.html, so the server's CSP (script-src 'self'; style-src 'self') holds.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
