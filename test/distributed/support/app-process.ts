import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../../infra/free-port';
import { killAtExit } from '@aicrn/platform';
import { eventually } from '../../support/eventually';

export const ROOT = resolve(__dirname, '..', '..', '..');
export type AppName = 'ingestion' | 'inference' | 'alerting' | 'embedded';

const KEPT_LINES = 200;

/** The compiled entry point of an app; the suite needs `npm run build` first (`npm test` does it). */
export function appEntry(app: AppName): string {
  const entry = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` before the distributed tests`);
  return entry;
}

/**
 * One child process (an app or a CLI tool) with its output kept for failure messages. Children are
 * registered with the test-infra process guard, so they die with the test process even if a test
 * never reaches its cleanup.
 */
export class ChildUnderTest {
  private readonly lines: string[] = [];
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    killAtExit(child);
    const keep = (stream: string) => (chunk: Buffer) => {
      const text = chunk.toString();
      if (stream === 'out') this.stdout += text;
      for (const line of text.split('\n')) if (line.trim()) this.lines.push(`[${name}${stream === 'err' ? ' stderr' : ''}] ${line}`);
      if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    };
    child.stdout?.on('data', keep('out'));
    child.stderr?.on('data', keep('err'));
    this.exit = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last lines it wrote, for a failure message. */
  output(): string {
    return this.lines.join('\n') || `[${this.name}] (no output)`;
  }

  describeExit(): string {
    return `${this.name} (pid ${this.pid}) exited with code ${this.child.exitCode} signal ${this.child.signalCode}`;
  }

  waitForExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return Promise.race([
      this.exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.output()}`)), timeoutMs).unref()),
    ]);
  }

  /** SIGKILL, as a crash or an OOM kill would end it: no shutdown hooks, no commit, no LeaveGroup. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM (graceful shutdown), then SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 6_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/** An app process with its HTTP port: /ready, /metrics. */
export class AppProcess extends ChildUnderTest {
  constructor(
    name: string,
    child: ChildProcess,
    readonly app: AppName,
    readonly url: string,
  ) {
    super(name, child);
  }

  /** Spawns `node dist/apps/<app>/src/main.js` on a free port with `env` (plus PATH and HOME). */
  static async start(app: AppName, env: Record<string, string>, name: string = app): Promise<AppProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [appEntry(app)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, child, app, `http://127.0.0.1:${port}`);
  }

  /** Waits until /ready answers 200, failing at once if the process exits; `context` adds to a failure message. */
  async waitUntilReady(timeoutMs: number, context: () => string = () => this.output()): Promise<void> {
    await eventually(
      `${this.name} to be ready`,
      async () => {
        if (this.exited) throw new Error(this.describeExit());
        return this.ready();
      },
      { timeoutMs, intervalMs: 200, context },
    );
  }

  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(3_000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** Sum of every series of a counter or gauge in /metrics (0 when the metric has no series yet). */
  async metric(name: string): Promise<number> {
    const res = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(3_000) });
    if (res.status !== 200) throw new Error(`${this.name} /metrics answered ${res.status}`);
    let sum = 0;
    for (const line of (await res.text()).split('\n')) {
      const match = /^(\w+)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (match && match[1] === name) sum += Number(match[2]);
    }
    return sum;
  }
}
