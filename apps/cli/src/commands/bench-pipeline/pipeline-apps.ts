import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const PIPELINE_APPS = ['ingestion', 'inference', 'alerting'] as const;
export type PipelineApp = (typeof PIPELINE_APPS)[number];

const KEPT_LINES = 40;
const STOP_GRACE_MS = 10_000;

/** The checkout's root: the nearest directory above this file with a package.json (dist/ has none). */
function packageRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  throw new Error(`no package.json above ${__dirname}`);
}

/** Compiled files the app processes run: `node --require exit-with-parent.js dist/apps/<app>/src/main.js`. */
function compiledEntry(...path: string[]): string {
  const file = join(packageRoot(), 'dist', ...path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One app as a child process: its HTTP port, its last output lines (for failure messages), stop. */
class AppChild {
  private readonly lines: string[] = [];
  readonly exited: Promise<void>;
  stopping = false;

  constructor(
    readonly app: PipelineApp,
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(line);
      if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // EPIPE on stdin when the child has already gone is expected: the pipe is only a lifeline.
    child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  describe(): string {
    const state = this.running ? 'is running' : `exited with ${this.child.signalCode ? `signal ${this.child.signalCode}` : `code ${this.child.exitCode}`}`;
    const output = this.lines.length ? this.lines.map((l) => `  [${this.app}] ${l}`).join('\n') : `  [${this.app}] (no output)`;
    return `${this.app} (pid ${this.pid}) ${state}; its last output:\n${output}`;
  }

  async ready(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(3_000) })).status === 200;
    } catch {
      return false;
    }
  }

  /** SIGTERM (graceful: in-flight batches committed, groups left), SIGKILL after a grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Ingestion, inference and alerting as three processes. They cannot outlive the benchmark: stopped
 * at the end or on error, SIGKILLed if the benchmark exits without stopping them, and they shut down
 * by themselves when its pipe to their stdin closes (exit-with-parent). `crashed` aborts once any of
 * them exits unasked.
 */
export class PipelineApps {
  private readonly children: AppChild[] = [];
  private readonly crash = new AbortController();
  private readonly killAll = () => this.children.forEach((c) => c.running && c.child.kill('SIGKILL'));

  /** Aborted, with the app's exit and last output as the reason, when an app exits unasked. */
  readonly crashed: AbortSignal = this.crash.signal;

  /** `env`: the environment of every app (Kafka, Redis, auth, logging); PORT and KAFKA_CLIENT_ID are set per app. */
  async start(env: NodeJS.ProcessEnv): Promise<void> {
    const preload = compiledEntry('apps', 'cli', 'src', 'commands', 'bench-pipeline', 'exit-with-parent.js');
    const entries = PIPELINE_APPS.map((app) => [app, compiledEntry('apps', app, 'src', 'main.js')] as const);
    process.once('exit', this.killAll);
    for (const [app, entry] of entries) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--require', preload, entry], {
        env: { ...env, HOST: '127.0.0.1', PORT: String(port), KAFKA_CLIENT_ID: `aicrn-bench-${app}` },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const appChild = new AppChild(app, child, `http://127.0.0.1:${port}`);
      this.children.push(appChild);
      void appChild.exited.then(() => {
        if (!appChild.stopping) this.crash.abort(new Error(appChild.describe()));
      });
    }
  }

  pids(): Record<PipelineApp, number> {
    return Object.fromEntries(this.children.map((c) => [c.app, c.pid])) as Record<PipelineApp, number>;
  }

  url(app: PipelineApp): string {
    return this.children.find((c) => c.app === app)!.url;
  }

  /** Waits until every app answers /ready with 200 (its broker and Redis reachable). */
  async waitReady(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(this.children);
    while (pending.size) {
      signal.throwIfAborted();
      for (const child of [...pending]) if (await child.ready()) pending.delete(child);
      if (!pending.size) return;
      if (Date.now() > deadline) {
        throw new Error(`not ready within ${timeoutMs / 1000} s: ${[...pending].map((c) => c.app).join(', ')}\n${[...pending].map((c) => c.describe()).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
    process.off('exit', this.killAll);
  }
}
