import { spawn } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(60_000);

const BIN = join(__dirname, '..', 'bin', 'aicrn.js');

/** `npm start` as a user runs it: the built CLI in its own process, stopped with Ctrl-C (SIGINT). */
describe('aicrn start (npm start) process', () => {
  it('serves the API, then shuts down cleanly within 5 s of Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--beds', '2', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await new Promise<{ url: string; beds: number; auth: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{"url"'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${stderr}`)));
    });
    expect(ready).toMatchObject({ beds: 2, auth: 'open' });
    const health = await (await fetch(`${ready.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', app: 'embedded', transport: 'memory', state: 'memory' });

    const signalled = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : null))));
    child.kill('SIGINT');
    const code = await exited;
    const shutdownMs = Date.now() - signalled;
    process.stderr.write(`aicrn start: exited ${code} ${shutdownMs} ms after SIGINT\n`);
    expect(code).toBe(130);
    expect(shutdownMs).toBeLessThan(5000);
    await expect(fetch(`${ready.url}/health`)).rejects.toThrow();
  });
});
