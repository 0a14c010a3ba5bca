// Retry policy for one window. Transient failures (Tencent 10002/60008, HTTP 5xx, resets, timeouts, bad JSON)
// back off exponentially with full jitter, so many concurrent windows that failed together do not come back
// together. Rate-limit answers are not failures of the window: the pacer slows down and the same request is
// sent again, with a far larger (but still finite) allowance.

export interface RetryPolicy {
  /** Attempts per window for transient failures before it is recorded as failed. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  /** Rate-limit answers tolerated for one window before it is recorded as failed. */
  maxRateLimited: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 250, capMs: 8_000, maxRateLimited: 100 };

/** Delay before retry number `attempt` (1-based): uniform in [0, min(cap, base·2^(attempt−1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
