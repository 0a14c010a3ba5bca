/**
 * A mistake in how the command was called: printed as is, exit code 2, no stack trace. `code` is its stable name
 * for scripts (--json).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code: 'usage' | 'nothing-to-search' = 'usage',
  ) {
    super(message);
  }
}
