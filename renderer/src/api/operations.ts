/** A caller-chosen id for long work, so it can be watched and cancelled while it runs. */
export const newOperationId = (prefix: string): string => `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;

/**
 * Polls a domain's running operations for one of them until stopped. The store passes its own list call, so the Api
 * method that lists operations is named in one place per store.
 */
export function watchOperation<O extends { operationId: string }>(
  list: () => Promise<O[]>,
  operationId: string,
  onProgress: (op: O) => void,
  everyMs = 400,
): () => void {
  const timer = setInterval(() => {
    list().then(
      (ops) => {
        const mine = ops.find((o) => o.operationId === operationId);
        if (mine) onProgress(mine);
      },
      // Progress is a courtesy: the work's own answer says how it ended.
      () => undefined,
    );
  }, everyMs);
  return () => clearInterval(timer);
}
