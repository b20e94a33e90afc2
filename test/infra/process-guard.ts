import { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let hooked = false;

/** Kills tracked children if the test process exits without tearing them down. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  }
  return child;
}

/** Ends a child: closes its stdin (our children exit on EOF), then SIGTERM, then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGTERM'), graceMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs * 2);
  await exited;
  clearTimeout(timer);
  clearTimeout(killer);
}
