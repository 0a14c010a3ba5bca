#!/usr/bin/env node
// Starts the CLI from its prebuilt bundle (out-cli/, built by `npm run build:cli`, which `npm install` runs as
// `prepare`) while that bundle was built from the sources as they are now: every input it lists still has the
// size and modification time it was built from. Otherwise — a checkout being edited, an install that skipped
// `prepare`, or TIM_CLI_FROM_SOURCE=1 — it runs the TypeScript sources through tsx: the same program, slower to
// start because it compiles first.
import { readFileSync, statSync } from 'node:fs';

// The archive is node:sqlite, which Node.js has from 22.13 on: say so plainly instead of a module error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `tim-backup needs Node.js 22.13 or later (24 recommended); this is Node.js ${process.versions.node}.\n` +
      'In the project folder, "npx tim-backup" and "npm run …" use the Node.js 24 that "npm install" put there.\n',
  );
  process.exit(1);
}

const root = new URL('../', import.meta.url);
const bundled = new URL('out-cli/', root);

function bundleIsCurrent() {
  try {
    const { inputs } = JSON.parse(readFileSync(new URL('inputs.json', bundled), 'utf8'));
    return Object.entries(inputs).every(([file, built]) => {
      const now = statSync(new URL(file, root));
      return now.size === built.size && now.mtimeMs === built.mtimeMs;
    });
  } catch {
    return false;
  }
}

const fromSource = process.env.TIM_CLI_FROM_SOURCE === '1' || !bundleIsCurrent();
let main;
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../app/cli/main.ts'));
} else {
  ({ main } = await import(new URL('tim-backup.mjs', bundled).href));
}
// Exit explicitly: idle keep-alive sockets must not hold a finished command open.
process.exit(await main(process.argv.slice(2), { fromSource }));
