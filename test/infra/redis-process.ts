import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';
import { killAtExit, stopChild } from '@aicrn/platform';

const STARTUP_TIMEOUT_MS = 10_000;

export function redisServerAvailable(): { available: true } | { available: false; reason: string } {
  const result = spawnSync('redis-server', ['--version'], { timeout: 5_000, stdio: 'ignore' });
  if (result.error || result.status !== 0) return { available: false, reason: 'redis-server is not installed (apt-get install redis-server)' };
  return { available: true };
}

export interface RedisProcessOptions {
  /**
   * AOF persistence (`appendonly yes`, `appendfsync always`) in the server's temporary directory, so
   * a crash loses nothing; without it a restart starts empty, like a cache node that was replaced.
   */
  persistent?: boolean;
  /** Extra `redis-server` arguments, e.g. ['--client-output-buffer-limit', 'pubsub 1mb 256kb 5']. */
  args?: string[];
}

/**
 * A throw-away redis-server on a free port, with its own temporary directory. It runs under a shell
 * that kills it when our stdin closes, so it cannot outlive the test process even if that is killed.
 * Fault tests can crash it (SIGKILL of the server itself) and start it again on the same port, so
 * clients see their server go away and come back at the address they were configured with.
 */
export class RedisProcess {
  private wrapper: ChildProcess | null = null;
  private serverPid = 0;
  private readonly dir = mkdtempSync(join(tmpdir(), 'aicrn-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: RedisProcessOptions,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: RedisProcessOptions = {}): Promise<RedisProcess> {
    const server = new RedisProcess(await freePort(), options);
    try {
      await server.launch();
    } catch (error) {
      rmSync(server.dir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  /** SIGKILL of the server: no shutdown save, connections reset, whatever is not in the AOF is gone. */
  async crash(): Promise<void> {
    if (!this.wrapper) return;
    process.kill(this.serverPid, 'SIGKILL');
    await stopChild(this.wrapper);
    this.wrapper = null;
  }

  /** Starts the server again on the same port (and, when persistent, from the same AOF directory). */
  async restart(): Promise<void> {
    if (this.wrapper) throw new Error(`redis-server on port ${this.port} is still running; crash() it first`);
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.wrapper) await stopChild(this.wrapper);
    this.wrapper = null;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const persistence = this.options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir, '--loglevel', 'warning', ...persistence, ...(this.options.args ?? [])];
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // The shell prints the server's pid (crash() kills the server, not the shell), then waits for
    // our stdin to close and kills the server.
    const script = `redis-server ${quoted} & pid=$!; echo "$pid"; trap 'kill $pid 2>/dev/null; exit 0' TERM INT; cat >/dev/null; kill $pid 2>/dev/null; wait $pid`;
    const wrapper = killAtExit(spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] }));
    let stderr = '';
    wrapper.stderr!.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: wrapper.stdout! });
    this.serverPid = await new Promise<number>((resolve, reject) => {
      lines.once('line', (line) => resolve(Number(line.trim())));
      wrapper.once('exit', (code) => reject(new Error(`redis-server wrapper exited with ${code}: ${stderr.trim()}`)));
    }).finally(() => lines.close());
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (!(await answersPing(this.port))) {
      if (wrapper.exitCode !== null || Date.now() > deadline) {
        await stopChild(wrapper);
        throw new Error(`redis-server on port ${this.port} did not start: ${stderr.trim() || `no answer to PING within ${STARTUP_TIMEOUT_MS / 1000} s`}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    this.wrapper = wrapper;
  }
}

/** True when something on the port answers PING with PONG (a server still loading its AOF answers LOADING). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
