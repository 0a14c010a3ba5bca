#!/usr/bin/env node
// Runs the CLI straight from the TypeScript sources (the checkout is the install), through tsx's loader.

// The archive is node:sqlite, which Node.js has from 22.13 on: say so plainly instead of a module error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `tim-backup needs Node.js 22.13 or later (24 recommended); this is Node.js ${process.versions.node}.\n` +
      'In the project folder, "npx tim-backup" and "npm run …" use the Node.js 24 that "npm install" put there.\n',
  );
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../app/cli/main.ts');
// Exit explicitly: idle keep-alive sockets must not hold a finished command open.
process.exit(await main(process.argv.slice(2)));
