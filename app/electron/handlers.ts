// The one way an IPC call reaches the app: for every operation of the contract, one handler that first checks the
// sender (our own window's top-level frame on app://), then validates the argument, then runs the operation —
// and always answers with a Result, never a thrown error (Electron would put its message and stack in the
// renderer's console).

import { type ArgsOf, channel, OPERATIONS, type Operation, type Result, type ValueOf } from '../ipc/contract';
import { ValidationError } from '../ipc/schema';
import { validate } from '../ipc/validators';
import { type FrameLike, isAppFrame } from './security';

/** The parts of ipcMain the handlers use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

/** The parts of an IpcMainInvokeEvent the sender check uses. */
export interface InvokeEventLike {
  senderFrame: FrameLike | null;
  sender: { id: number };
}

export type Implementation = { [K in Operation]: (...args: ArgsOf<K>) => Promise<Result<ValueOf<K>>> };

export interface HandlerOptions {
  /** True for the webContents of our own window. */
  isAppContents(id: number): boolean;
  /** Where refusals and unexpected errors are written (the main process log). */
  log(line: string): void;
}

export const FORBIDDEN: Result<never> = {
  ok: false,
  error: { kind: 'forbidden', message: 'This request did not come from the TIM Group Backup window and was refused.' },
};

export function registerHandlers(ipcMain: IpcMainLike, impl: Implementation, opts: HandlerOptions): void {
  for (const op of OPERATIONS) {
    ipcMain.handle(channel.operation(op), (event, ...raw) => handle(op, impl, opts, event, raw));
  }
}

export async function handle(op: Operation, impl: Implementation, opts: HandlerOptions, event: InvokeEventLike, raw: unknown[]): Promise<Result<unknown>> {
  if (!isAppFrame(event.senderFrame) || !opts.isAppContents(event.sender.id)) {
    opts.log(`refused ${op}: sender ${event.senderFrame?.url ?? '(no frame)'} is not the app's top-level frame`);
    return FORBIDDEN;
  }
  let args: unknown[];
  try {
    if (raw.length > 1) throw new ValidationError('takes at most one argument');
    args = validate(op, raw[0]);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, error: { kind: 'invalid-argument', message: `${op}: ${err.message}.` } };
  }
  try {
    return await (impl[op] as (...a: unknown[]) => Promise<Result<unknown>>)(...args);
  } catch (err) {
    opts.log(`${op} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { ok: false, error: { kind: 'internal', message: 'Something went wrong inside TIM Group Backup. Please try again; if it keeps happening, report it.' } };
  }
}
