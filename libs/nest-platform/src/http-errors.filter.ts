import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '@aicrn/platform';

/** Every error leaves as JSON {statusCode, error, message}; internals are logged, never sent. */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;
    // body-parser errors (malformed JSON, payload too large) carry their own 4xx status.
    const raw = exception as { status?: number; statusCode?: number; type?: string; message?: string };
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'internal error';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message as string) ?? exception.message;
    } else if (typeof raw?.status === 'number' && raw.status >= 400 && raw.status < 500) {
      status = raw.status;
      message = raw.type === 'entity.parse.failed' ? 'request body is not valid JSON' : raw.message ?? 'bad request';
    }
    if (status >= 500) this.logger.error({ err: exception, method: req.method, path: req.path }, 'request failed');
    res.status(status).json({ statusCode: status, error: HttpStatus[status] ?? 'Error', message });
  }
}
