import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';

/** Opens a TCP connection and resolves once it is connected. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the first bytes the peer sends (a reply or response head), then stops reading. */
function firstReply(socket: Socket, until: (text: string) => boolean, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms (got ${JSON.stringify(text.slice(0, 200))})`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!until(text)) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * A client that connects, subscribes, and then never reads again: everything sent to it piles up in
 * the kernel buffers and then in the server's output buffer for it. The socket is paused, not
 * closed, as a hung dashboard or a stopped consumer would leave it.
 */
export class StalledClient {
  closedByPeer = false;

  private constructor(readonly socket: Socket) {
    socket.once('close', () => (this.closedByPeer = true));
    socket.on('error', () => undefined);
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** A Redis Pub/Sub subscriber named `name` (CLIENT SETNAME) on `channels`. */
  static async redisSubscriber(port: number, name: string, channels: string[]): Promise<StalledClient> {
    const socket = await open(port);
    const command = (args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    socket.write(command(['CLIENT', 'SETNAME', name]) + command(['SUBSCRIBE', ...channels]));
    // +OK, then one subscribe confirmation per channel (each ends with the :<count> line).
    await firstReply(socket, (text) => (text.match(/\r\n:\d+\r\n/g) ?? []).length >= channels.length);
    return new StalledClient(socket);
  }

  /** An SSE client of `path` on an HTTP server that reads the response head and then nothing. */
  static async sseClient(port: number, path: string): Promise<StalledClient> {
    const socket = await open(port);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    const head = await firstReply(socket, (text) => text.includes('\r\n\r\n'));
    if (!/^HTTP\/1\.1 200/.test(head)) throw new Error(`GET ${path} answered ${head.split('\r\n')[0]}`);
    return new StalledClient(socket);
  }

  /** Reads what is left until the peer closes; resolves with the byte count (or what came within timeoutMs). */
  drain(timeoutMs: number): Promise<{ bytes: number; ended: boolean }> {
    return new Promise((resolve) => {
      let bytes = 0;
      const done = (ended: boolean) => {
        clearTimeout(timer);
        resolve({ bytes, ended });
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      this.socket.once('close', () => done(true));
      this.socket.resume();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface TcpSocketView {
  state: string;
  /** Bytes queued for sending (tx_queue). */
  sendQueueBytes: number;
  /** 0 = no process holds it any more (an orphan the kernel finishes on its own). */
  inode: number;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

/**
 * The server's end of a loopback TCP connection (local port `serverPort`, peer port `clientPort`)
 * as Linux reports it in /proc/net/tcp, or null when it no longer exists. Tells whether the server
 * process still holds the socket (and the data it queued) without asking the server.
 */
export function serverSocket(serverPort: number, clientPort: number): TcpSocketView | null {
  const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [, local, remote, state, queues] = fields;
    if (local.endsWith(`:${hexPort(serverPort)}`) && remote.endsWith(`:${hexPort(clientPort)}`)) {
      return { state: TCP_STATES[state] ?? state, sendQueueBytes: parseInt(queues.split(':')[0], 16), inode: Number(fields[9]) };
    }
  }
  return null;
}
