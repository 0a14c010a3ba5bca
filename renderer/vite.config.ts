// The renderer's build. The app's CSP (script-src 'self'; style-src 'self'; no inline anything) shapes it: every
// script and style sheet is an external file, nothing is inlined as a data: URL, and paths are relative so the
// same build works from the app:// protocol and from the development server.

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // The polyfill would be an inline script; every browser Electron ships supports modulepreload.
    modulePreload: { polyfill: false },
    target: 'chrome130',
    cssCodeSplit: false,
    reportCompressedSize: false,
  },
});
