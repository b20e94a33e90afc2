import { SetMetadata } from '@nestjs/common';

/**
 * viewer reads (GET /api/*); clinician also acknowledges alarms, resets baselines and edits bed alarm
 * profiles; admin may do everything, including configuration. Each role includes the ones before it.
 */
export const ROLES = ['viewer', 'clinician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_KEY = 'aicrn:roles';
export const PUBLIC_KEY = 'aicrn:public';
export const QUERY_TOKEN_KEY = 'aicrn:query-token';

/** The least role a route needs. Routes with neither @Roles nor @Public need admin (deny by default). */
export const Roles = (role: Role) => SetMetadata(ROLES_KEY, role);

/** No token needed (liveness and readiness probes, static assets). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Also accepts the token as `?access_token=`: browsers' EventSource cannot send an Authorization
 * header. Tokens in URLs can end up in proxy logs and browser history, so use it only for streams.
 */
export const AcceptsQueryToken = () => SetMetadata(QUERY_TOKEN_KEY, true);

export function roleAllows(held: readonly Role[], needed: Role): boolean {
  const rank = ROLES.indexOf(needed);
  return held.some((role) => ROLES.indexOf(role) >= rank);
}
