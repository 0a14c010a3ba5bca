// A few asynchronous file operations in flight at once (reads of the image, writes of a checkpoint): on this
// kind of machine the cost is touching memory, and concurrent operations spread it over the cores.

/**
 * Calls `fn` for every item, at most `width` at a time. When one fails, no further item starts, the ones in
 * flight are waited for (their file is about to be closed), and the first error is thrown.
 */
export async function eachInParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(width, items.length) }, lane));
  const rejected = outcomes.find((o) => o.status === 'rejected');
  if (rejected) throw rejected.reason;
}
