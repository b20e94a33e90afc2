/**
 * Preloaded into the benchmark's app processes (`node --require`). The benchmark holds the other end
 * of our stdin; when it dies, even by SIGKILL, the pipe closes and we shut down gracefully, so no app
 * outlives the run that started it. Unref'd: the pipe alone never keeps the process alive.
 */
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => undefined);
process.stdin.resume();
(process.stdin as unknown as { unref?: () => void }).unref?.();

export {};
