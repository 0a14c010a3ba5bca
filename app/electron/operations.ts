// Every operation of the contract, routed to where it runs: the worker's forwarded to the worker thread, main's
// own (dialogs, the shell, app facts) run in main. The app (./app) and the end-to-end tests' browser bridge build
// their handlers' implementation here, so both route and guard alike.
//
// An export writes only where the person chose in the native dialog: the page is not trusted with file paths,
// and a file export replaces what is there, so a compromised page must not name a file for the worker to overwrite.

import type { ArgsOf, MainOperation, Profile, Result, ValueOf, WorkerOperation } from '../ipc/contract';
import { OPERATION_HOME, OPERATIONS } from '../ipc/contract';
import { MediaNotStored } from '../media/file-ops';
import type { Implementation } from './handlers';

export type MainOperations = { [K in MainOperation]: (...args: ArgsOf<K>) => Promise<ValueOf<K>> };

/** The worker as main calls it (app/worker/client.ts). */
export interface WorkerCalls {
  call<K extends WorkerOperation>(op: K, ...args: ArgsOf<K>): Promise<Result<ValueOf<K>>>;
}

/** A main operation refusing what it was asked (an http:// link): the caller's mistake, answered as such. */
export class Refused extends Error {
  override name = 'Refused';
}

export interface RouteHooks {
  /** A backup was started (startBackup, fetchMissing): for the quit prompt and the taskbar progress. */
  backupStarted?(backupId: string): void;
  /** An export was started: for the quit prompt. */
  exportStarted?(exportId: string): void;
  /** A SecretKey passed through (setSecretKey, testConnection): for the log to scrub it. */
  secretSeen?(secretKey: string): void;
  /** Profiles the worker answered with: their archives are files the app produced. */
  profilesSeen?(profiles: Profile[]): void;
  /** A profile was saved, deleted or created by the demo: its schedule, and the tray's list, may have changed. */
  profilesChanged?(): void;
  /** Before a worker operation runs (validated): the app resolves the system proxy for the endpoint it will reach. */
  beforeWorker?(op: WorkerOperation, args: unknown[]): Promise<void>;
}

const NOT_CHOSEN: Result<never> = {
  ok: false,
  error: { kind: 'invalid-argument', message: 'Choose where to export with the “Choose…” button first: exports are written only where you chose.' },
};

export function routeOperations(worker: WorkerCalls, own: MainOperations, hooks: RouteHooks = {}): Implementation {
  /** Destinations the person picked in the native dialog: the only places an export may write. */
  const chosen = new Set<string>();

  const main = async (op: MainOperation, args: unknown[]): Promise<Result<unknown>> => {
    try {
      const value = await (own[op] as (...a: unknown[]) => Promise<unknown>)(...args);
      if (op === 'chooseFolder' && typeof value === 'string') chosen.add(value);
      return { ok: true, value };
    } catch (err) {
      if (err instanceof Refused || err instanceof MediaNotStored) return { ok: false, error: { kind: 'invalid-argument', message: err.message } };
      throw err;
    }
  };

  const forward = async (op: WorkerOperation, args: unknown[]): Promise<Result<unknown>> => {
    if (op === 'export' && !chosen.has((args[0] as ArgsOf<'export'>[0]).out)) return NOT_CHOSEN;
    if (op === 'setSecretKey' || op === 'testConnection') {
      const { secretKey } = args[0] as { secretKey?: string };
      if (secretKey !== undefined) hooks.secretSeen?.(secretKey);
    }
    await hooks.beforeWorker?.(op, args);
    const result = await worker.call(op, ...(args as [never]));
    if (!result.ok) return result;
    if (op === 'startBackup' || op === 'fetchMissing') hooks.backupStarted?.((result.value as ValueOf<'startBackup'>).backupId);
    if (op === 'export') hooks.exportStarted?.((result.value as ValueOf<'export'>).exportId);
    if (op === 'listProfiles') hooks.profilesSeen?.(result.value as Profile[]);
    if (op === 'saveProfile' || op === 'startDemo') hooks.profilesSeen?.([result.value as Profile]);
    if (op === 'saveProfile' || op === 'startDemo' || op === 'deleteProfile') hooks.profilesChanged?.();
    return result;
  };

  return Object.fromEntries(
    OPERATIONS.map((op) => [op, (...args: unknown[]) => (OPERATION_HOME[op] === 'main' ? main(op as MainOperation, args) : forward(op as WorkerOperation, args))]),
  ) as Implementation;
}
