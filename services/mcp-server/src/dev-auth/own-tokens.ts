// Verifying and minting this server's own JWT access tokens outside oidc-provider's code paths:
// oidc-provider neither stores nor introspects structured (JWT) access tokens, and custom
// grants (RFC 8693) must mint their own.
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, jwtVerify } from 'jose';
import type { JWK, JWTPayload } from 'jose';

/** Verifies and signs access tokens with the in-memory RS256 key. */
export interface OwnTokens {
  /** Returns the payload of a valid, unexpired access token issued here, else undefined. */
  verify(token: string): Promise<JWTPayload | undefined>;
  /** Signs an RFC 9068 access token (typ at+jwt) with iss/iat/exp/jti filled in. */
  sign(claims: JWTPayload, ttlSeconds: number): Promise<string>;
}

/** Creates the verifier/signer for `issuer` from the private signing JWK. */
export async function createOwnTokens(issuer: string, privateJwk: JWK): Promise<OwnTokens> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, 'RS256');
  const publicKey = await importJWK(publicJwk, 'RS256');
  return {
    async verify(token) {
      try {
        // RFC 9068 §4: check typ, issuer, signature and expiry.
        const { payload } = await jwtVerify(token, publicKey, { issuer, typ: 'at+jwt', algorithms: ['RS256'] });
        return payload;
      } catch {
        return undefined;
      }
    },
    async sign(claims, ttlSeconds) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
        .setIssuer(issuer).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).setJti(randomUUID())
        .sign(privateKey);
    },
  };
}
