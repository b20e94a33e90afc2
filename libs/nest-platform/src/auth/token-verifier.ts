import { createPublicKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '@aicrn/platform';
import { Principal } from './principal';
import { Role, ROLES } from './roles';

/** A token that must be answered with 401; `reason` is safe to show to the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
/** Cap on token length: a header this large is an attack or a mistake, not a token. */
const MAX_TOKEN_CHARS = 8192;

/** Verifies bearer JWTs against the configured key (HS256 secret, PEM public key or remote JWKS). */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const { key, algorithms } = verificationKey(config);
  return {
    async verify(token: string): Promise<Principal> {
      if (token.length > MAX_TOKEN_CHARS) throw new InvalidTokenError('token too long');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
          algorithms,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.clockToleranceS,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        throw new InvalidTokenError(describeJoseError(error));
      }
      return principalOf(payload, config.rolesClaim);
    },
  };
}

function verificationKey(config: AuthConfig): { key: Uint8Array | KeyObject | JWTVerifyGetKey; algorithms: string[] } {
  switch (config.key.kind) {
    case 'secret':
      return { key: new TextEncoder().encode(config.key.secret), algorithms: ['HS256'] };
    case 'public-key': {
      const key = createPublicKey(config.key.pem);
      return { key, algorithms: algorithmsFor(key) };
    }
    case 'jwks':
      // jose caches the key set and refetches on an unknown kid, at most every 30 s.
      return { key: createRemoteJWKSet(new URL(config.key.url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 5000 }), algorithms: ASYMMETRIC_ALGORITHMS };
    case 'none':
      throw new Error('jwt mode needs AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL');
  }
}

/** Pinning algorithms to the key type prevents algorithm-confusion attacks (e.g. HS256 signed with the public key). */
function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec':
      return ['ES256', 'ES384'];
    case 'ed25519':
      return ['EdDSA'];
    default:
      throw new Error(`AUTH_JWT_PUBLIC_KEY: unsupported key type ${key.asymmetricKeyType}; use RSA, EC (P-256/P-384) or Ed25519`);
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim ${error.claim} is not acceptable (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key matches the token';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'token keys are unavailable';
  if (error instanceof errors.JOSEError) return 'token is malformed';
  return 'token could not be verified';
}

function principalOf(payload: JWTPayload, rolesClaim: string): Principal {
  const sub = String(payload.sub);
  const display = [payload.name, payload.preferred_username].find((v): v is string => typeof v === 'string' && v.trim().length > 0);
  return { sub, name: (display ?? sub).trim().slice(0, 64), roles: rolesOf(claimAt(payload, rolesClaim)) };
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Roles as an array or a space/comma separated string (OAuth `scope` style); unknown names are ignored. */
function rolesOf(claim: unknown): Role[] {
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  return names.filter((n): n is Role => typeof n === 'string' && (ROLES as readonly string[]).includes(n));
}
