/**
 * The bench's authorization server: the driver holds an RS256 key and mints the access tokens;
 * the issuer child (bench/servers/issuer.ts) only publishes the public half (RFC 8414 metadata
 * and the JWKS) for every server to fetch.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startServer, type Child } from './child.js';
import { RESOURCE } from './common.js';

/** A running issuer and the minting half of its key. */
export interface BenchIssuer {
  child: Child;
  url: string;
  /** `n` distinct tokens (`jti` t0…), subjects user-0 … user-99 in turn, valid for an hour. */
  mint(n: number): Promise<string[]>;
}

/** Generate the key and start the issuer child. */
export async function startBenchIssuer(): Promise<BenchIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
  const child = await startServer('issuer', [], { env: { BENCH_JWK: JSON.stringify(jwk) } });
  return {
    child,
    url: child.url,
    async mint(n) {
      const now = Math.floor(Date.now() / 1000);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        out.push(await new SignJWT({ scope: 'mcp:tools', client_id: 'bench-client', jti: `t${i}` })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'bench-1' })
          .setIssuer(child.url).setAudience(RESOURCE).setSubject(`user-${i % 100}`)
          .setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey));
      }
      return out;
    },
  };
}
