// A tiny loopback authorization server for unit tests: real node:http on 127.0.0.1:0, so the
// code under test performs genuine HTTP requests. Routes are plain functions tests can swap.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';

/** A recorded request to the fake AS. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A route handler's answer. */
export interface RouteResult {
  readonly status?: number;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

/** Handle to a running fake AS. */
export interface FakeAs {
  /** http://127.0.0.1:port (plus issuerPath). */
  readonly issuer: string;
  readonly origin: string;
  readonly routes: Map<string, (req: SeenRequest) => RouteResult>;
  readonly requests: SeenRequest[];
  /** Number of requests whose path equals `path`. */
  count(path: string): number;
  /** Stops accepting and drops keep-alive connections. */
  close(): Promise<void>;
}

/** Starts a loopback server; `issuerPath` like '/realms/test' yields a path-bearing issuer. */
export async function startFakeAs(issuerPath = ''): Promise<FakeAs> {
  const routes = new Map<string, (req: SeenRequest) => RouteResult>();
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0]!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const route = routes.get(seen.path);
      const result: RouteResult = route ? route(seen) : { status: 404, json: { error: 'not_found' } };
      res.writeHead(result.status ?? 200, { 'content-type': 'application/json', ...result.headers });
      res.end(result.json === undefined ? '' : JSON.stringify(result.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: origin + issuerPath,
    origin,
    routes,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An RSA signing key with its public JWK. */
export interface TestKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
  readonly kid: string;
}

/** Generates an RS256 key pair locally. */
export async function makeKey(kid: string, alg = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, publicKey, jwk, kid };
}

/** Signs claims as an RFC 9068 access token (header overridable). */
export function signToken(key: TestKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.jwk.alg as string, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

/** Serves RFC 8414 metadata at the path-insertion URL and the JWKS at /jwks. */
export function serveIssuer(as: FakeAs, keys: () => JWK[], extra: Record<string, unknown> = {}): void {
  const suffix = as.issuer.slice(as.origin.length);
  as.routes.set(`/.well-known/oauth-authorization-server${suffix}`, () => ({
    json: { issuer: as.issuer, jwks_uri: `${as.origin}/jwks`, ...extra },
  }));
  as.routes.set('/jwks', () => ({ json: { keys: keys() } }));
}

/** Parses an x-www-form-urlencoded body. */
export function form(req: SeenRequest): URLSearchParams {
  return new URLSearchParams(req.body);
}
