// An AppError as a person reads it: the headline in the UI's language (by kind), and the worker's specific
// sentence when it adds something — in the UI's language when the worker worded it in every language (`said`),
// else its English.

import type { AppError, Lang } from '../../../app/ipc/contract';
import type { Messages } from './i18n/en';

export interface ShownError {
  headline: string;
  detail?: string;
  /** The detail is in the UI's language (not English shown as a technical detail). */
  localized: boolean;
}

export function showError(error: AppError, t: Messages, lang: Lang): ShownError {
  const headline = t.errors[error.kind] ?? t.errors.internal;
  const detail = error.said?.[lang] ?? error.message;
  const localized = error.said !== undefined;
  return detail && detail !== headline ? { headline, detail, localized } : { headline, localized };
}

/** For the rare failure that is not an AppError (the bridge itself broke): shown as an internal error. */
export function asAppError(err: unknown): AppError {
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}
