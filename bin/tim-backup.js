#!/usr/bin/env node
// Runs the CLI straight from the TypeScript sources (the checkout is the install), through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
// Exit explicitly: idle keep-alive sockets must not hold a finished command open.
process.exit(await main(process.argv.slice(2)));
