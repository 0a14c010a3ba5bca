import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer's state classes (*.svelte.ts, runes) are compiled as the app's build compiles them (test/renderer).
  plugins: [svelte({ configFile: 'renderer/svelte.config.js' })],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real HTTP servers and child processes; two cores are all we have.
    maxWorkers: 2,
  },
});
