import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port';
import { stopChild, track } from './process-guard';

export function redisServerAvailable(): { available: true } | { available: false; reason: string } {
  const result = spawnSync('redis-server', ['--version'], { timeout: 5_000, stdio: 'ignore' });
  if (result.error || result.status !== 0) return { available: false, reason: 'redis-server is not installed (apt-get install redis-server)' };
  return { available: true };
}

/**
 * A throw-away redis-server on a free port, without persistence. It runs under a shell that kills
 * it when our stdin closes, so it cannot outlive the test process even if that is killed.
 */
export class RedisProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisProcess> {
    const port = await freePort();
    const server = `redis-server --port ${port} --bind 127.0.0.1 --save '' --appendonly no --loglevel warning`;
    const script = `${server} & pid=$!; trap 'kill $pid 2>/dev/null; exit 0' TERM INT; cat >/dev/null; kill $pid 2>/dev/null; wait $pid`;
    const child = track(spawn('sh', ['-c', script], { stdio: ['pipe', 'ignore', 'pipe'] }));
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const deadline = Date.now() + 5_000;
    while (!(await answersPing(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stopChild(child);
        throw new Error(`redis-server on port ${port} did not start: ${stderr.trim() || 'no answer to PING within 5 s'}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return new RedisProcess(child, port);
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

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
