import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { AuthConfig } from '@aicrn/platform';
import { createTokenVerifier, InvalidTokenError } from './token-verifier';

const base: Omit<AuthConfig, 'key'> = { mode: 'jwt', clockToleranceS: 30, rolesClaim: 'roles', metricsPublic: true };
const now = () => Math.floor(Date.now() / 1000);

async function sign(key: Parameters<SignJWT['sign']>[0], alg: string, claims: Record<string, unknown> = { roles: ['clinician'] }, kid?: string) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject('u-1')
    .setExpirationTime(now() + 60)
    .sign(key);
}

describe('createTokenVerifier', () => {
  it.each(['RS256', 'ES256', 'EdDSA'])('verifies %s tokens against a PEM public key', async (alg) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const verifier = createTokenVerifier({ ...base, key: { kind: 'public-key', pem: await exportSPKI(publicKey) } });
    await expect(verifier.verify(await sign(privateKey, alg))).resolves.toEqual({ sub: 'u-1', name: 'u-1', roles: ['clinician'] });
  });

  it('rejects an HS256 token signed with the public key PEM as the secret (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const verifier = createTokenVerifier({ ...base, key: { kind: 'public-key', pem } });
    const forged = await sign(new TextEncoder().encode(pem), 'HS256', { roles: ['admin'] });
    await expect(verifier.verify(forged)).rejects.toThrow(new InvalidTokenError('token algorithm not allowed'));
  });

  it('reads roles from a nested claim or a space-separated string, ignoring unknown role names', async () => {
    const secret = 'x'.repeat(40);
    const key = new TextEncoder().encode(secret);
    const nested = createTokenVerifier({ ...base, key: { kind: 'secret', secret }, rolesClaim: 'realm_access.roles' });
    await expect(nested.verify(await sign(key, 'HS256', { realm_access: { roles: ['offline_access', 'viewer'] } }))).resolves.toMatchObject({ roles: ['viewer'] });
    const flat = createTokenVerifier({ ...base, key: { kind: 'secret', secret } });
    await expect(flat.verify(await sign(key, 'HS256', { roles: 'viewer admin', name: 'Dr. A' }))).resolves.toEqual({ sub: 'u-1', name: 'Dr. A', roles: ['viewer', 'admin'] });
  });

  it('requires an expiry: a token that never expires is refused', async () => {
    const secret = 'x'.repeat(40);
    const token = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').sign(new TextEncoder().encode(secret));
    await expect(createTokenVerifier({ ...base, key: { kind: 'secret', secret } }).verify(token)).rejects.toThrow(/claim exp/);
  });

  describe('with a remote JWKS', () => {
    let server: Server;
    let fetches = 0;
    let url: string;
    let privateKey: CryptoKey;

    beforeAll(async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      privateKey = pair.privateKey as CryptoKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server = createServer((_req, res) => {
        fetches++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('verifies tokens by kid and fetches the key set once (cached)', async () => {
      const verifier = createTokenVerifier({ ...base, key: { kind: 'jwks', url } });
      for (let i = 0; i < 3; i++) await expect(verifier.verify(await sign(privateKey, 'ES256', { roles: ['viewer'] }, 'k1'))).resolves.toMatchObject({ roles: ['viewer'] });
      expect(fetches).toBe(1);
    });

    it('answers a token whose kid is not in the set with invalid_token', async () => {
      const other = await generateKeyPair('ES256');
      const verifier = createTokenVerifier({ ...base, key: { kind: 'jwks', url } });
      await expect(verifier.verify(await sign(other.privateKey, 'ES256', {}, 'k9'))).rejects.toThrow(new InvalidTokenError('no key matches the token'));
    });
  });
});
