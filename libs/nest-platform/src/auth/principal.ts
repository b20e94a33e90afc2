import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from './roles';

/** Who made a request, from a verified token. Absent in open mode. */
export interface Principal {
  sub: string;
  /** Display name for audit fields (acknowledged_by): `name`, then `preferred_username`, then `sub`. */
  name: string;
  roles: Role[];
}

export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The request's verified principal, or undefined when authentication is off (AUTH_MODE=open). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
