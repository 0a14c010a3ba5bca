// The emulator in a process of its own, for benchmarks: in-process, the emulator's JSON work would share one
// event loop with the engine under test and the numbers would measure their contention, not the engine.
// Only options that survive JSON can be given (no `now` clock).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions } from './index';

export interface EmulatorProcess {
  readonly url: string;
  close(): Promise<void>;
}

const HOST = fileURLToPath(new URL('./process-host.ts', import.meta.url));

export function startEmulatorProcess(opts: EmulatorOptions): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, JSON.stringify(opts)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`emulator process exited (${code}) before it was ready`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('listening '));
      if (!line) return;
      child.removeAllListeners('exit');
      resolve({
        url: line.slice('listening '.length).trim(),
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.stdin!.end();
          }),
      });
    });
  });
}
