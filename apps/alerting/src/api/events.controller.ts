import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Alert, EcgMeasurement } from '@aicrn/contracts';
import { AcceptsQueryToken, Roles, STATE_STORE } from '@aicrn/nest-platform';
import { StateStore } from '@aicrn/state';

const HEARTBEAT_MS = 15_000;
/**
 * A client that cannot keep up is dropped rather than buffered without bound. Dropping destroys the
 * socket: end() would keep the backlog queued until a client that never reads takes it, i.e. forever.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Live updates for dashboards: Server-Sent Events of every measurement and alert transition. */
@Controller('api/events')
@Roles('viewer')
@AcceptsQueryToken()
export class EventsController {
  constructor(@Inject(STATE_STORE) private readonly state: StateStore) {}

  @Get()
  async stream(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    let closed = false;
    const send = (event: string, data: unknown) => {
      if (closed) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) return close(true);
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const offMeasurement = await this.state.onMeasurement((m: EcgMeasurement) => send('measurement', m));
    const offAlert = await this.state.onAlert((a: Alert) => send('alert', a));
    const heartbeat = setInterval(() => !closed && res.write(`: heartbeat ${Date.now()}\n\n`), HEARTBEAT_MS);
    const close = (overflow = false) => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      void offMeasurement();
      void offAlert();
      if (overflow) res.destroy();
      else res.end();
    };
    req.on('close', () => close());
    res.on('error', () => close());
  }
}
