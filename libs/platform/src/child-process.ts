import { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let exitHooked = false;

/**
 * SIGKILLs the child if this process exits without stopping it (a crashed test run, an interrupted
 * benchmark): helper processes (Redis, the Kafka mock, app processes) must not outlive their owner.
 */
export function killAtExit(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  }
  return child;
}

/** Ends a child: closes its stdin (our helper programs exit on EOF), then SIGTERM after `graceMs`, then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  // No pid: the spawn itself failed and there is no process to stop.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const terminate = setTimeout(() => child.kill('SIGTERM'), graceMs);
  const kill = setTimeout(() => child.kill('SIGKILL'), graceMs * 2);
  await exited;
  clearTimeout(terminate);
  clearTimeout(kill);
}
