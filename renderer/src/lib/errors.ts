// An AppError as a person reads it: the headline in the UI's language (by kind), and the worker's specific
// sentence (English) when it adds something.

import type { AppError } from '../../../app/ipc/contract';
import type { Messages } from './i18n/en';

export interface ShownError {
  headline: string;
  detail?: string;
}

export function showError(error: AppError, t: Messages): ShownError {
  const headline = t.errors[error.kind] ?? t.errors.internal;
  return error.message && error.message !== headline ? { headline, detail: error.message } : { headline };
}

/** For the rare failure that is not an AppError (the bridge itself broke): shown as an internal error. */
export function asAppError(err: unknown): AppError {
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}
