/**
 * Delay before retry number `attempt` (1-based): doubles from initialMs up to maxMs, with +-20 %
 * jitter so that consumers failing together do not retry in lock-step.
 */
export function retryDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, initialMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.max(1, Math.round(exponential * (0.8 + 0.4 * random())));
}
