import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppConfig, Logger } from '@aicrn/platform';
import { APP_CONFIG, LOGGER } from '../platform.constants';
import { AuthenticatedRequest } from './principal';
import { PUBLIC_KEY, QUERY_TOKEN_KEY, Role, roleAllows, ROLES_KEY } from './roles';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
export const METRICS_KEY = 'aicrn:metrics';

/** Marks the Prometheus endpoint: open when METRICS_PUBLIC=true, else admin only. */
export const MetricsEndpoint = () => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
  Reflect.defineMetadata(METRICS_KEY, true, descriptor?.value ?? target);
};

/**
 * Every route needs a verified bearer token with a sufficient role unless marked @Public(). Missing or
 * invalid token = 401, valid token without the role = 403. In open mode (AUTH_MODE=open) nothing is
 * checked and requests carry no principal.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.auth.mode === 'open' || !this.verifier) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(METRICS_KEY, targets) && this.config.auth.metricsPublic) return true;
    const needed = this.reflector.getAllAndOverride<Role>(ROLES_KEY, targets) ?? 'admin';

    const http = context.switchToHttp();
    const req = http.getRequest<Request & AuthenticatedRequest>();
    const res = http.getResponse<Response>();
    const token = bearerToken(req, this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_KEY, targets) ?? false);
    if (!token) return this.unauthorized(res, 'a bearer token is required (Authorization: Bearer <jwt>)', undefined);
    try {
      req.principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return this.unauthorized(res, error.reason, error.reason);
      // Key set unreachable: the caller's token may be fine, so this is not a 401.
      throw error;
    }
    if (!roleAllows(req.principal.roles, needed)) {
      this.logger.info({ sub: req.principal.sub, roles: req.principal.roles, needed, method: req.method, path: req.path }, 'request forbidden by role');
      const held = req.principal.roles.length ? req.principal.roles.join(', ') : 'no known role';
      throw new ForbiddenException(`${req.method} ${req.path} needs the ${needed} role; the token has ${held}`);
    }
    return true;
  }

  private unauthorized(res: Response, message: string, invalidReason: string | undefined): never {
    // RFC 6750: tell the client which scheme, and whether the token it sent was the problem.
    const challenge = invalidReason ? `Bearer realm="aicrn", error="invalid_token", error_description="${invalidReason.replace(/"/g, "'")}"` : 'Bearer realm="aicrn"';
    res.setHeader('WWW-Authenticate', challenge);
    throw new UnauthorizedException(message);
  }
}

function bearerToken(req: Request, allowQuery: boolean): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  if (allowQuery) {
    const value = req.query.access_token;
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}
