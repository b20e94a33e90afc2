import { SignJWT } from 'jose';

/** The HS256 secret the security suites start the app with (test only). */
export const TEST_JWT_SECRET = 'test-secret-for-security-suites-0123456789abcdef';

export interface TestTokenOptions {
  sub?: string;
  name?: string;
  roles?: unknown;
  expiresInS?: number;
  secret?: string;
  issuer?: string;
  audience?: string;
}

/** A signed bearer token as an identity provider would issue it. */
export function testToken(options: TestTokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ roles: options.roles ?? ['viewer'], ...(options.name ? { name: options.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? 'user-1')
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (options.expiresInS ?? 300));
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}
