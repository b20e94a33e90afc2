/**
 * Polls `probe` until it returns a value other than undefined, null or false, or fails after `timeoutMs`
 * with what was awaited, the last observation, the last error and `context()` (e.g. the processes'
 * recent output). A probe that throws counts as "not yet": a busy server may reset a connection while starting.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs: number; intervalMs?: number; observe?: () => string; context?: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as T;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const parts = [`timed out after ${options.timeoutMs} ms waiting for ${what}`];
      if (options.observe) parts.push(`last observation: ${options.observe()}`);
      if (lastError) parts.push(`last error: ${(lastError as Error).message}`);
      if (options.context) parts.push(options.context());
      throw new Error(parts.join('\n'));
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
