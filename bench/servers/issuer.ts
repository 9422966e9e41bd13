/**
 * A minimal authorization server for the JWT cases, in its own process: RFC 8414 metadata
 * and the JWKS. The driver holds the private key and mints the tokens; this process only
 * publishes the public key it is given in BENCH_JWK.
 */
import { createServer } from 'node:http';
import { announce } from '../lib/common.js';

const jwk = JSON.parse(process.env.BENCH_JWK ?? 'null') as Record<string, unknown> | null;
if (!jwk) throw new Error('BENCH_JWK (the public JWK) is required');
let issuer = '';
const server = createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0];
  let body: unknown;
  if (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration') {
    body = {
      issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token`, authorization_endpoint: `${issuer}/authorize`,
      response_types_supported: ['code'], id_token_signing_alg_values_supported: ['RS256'], code_challenge_methods_supported: ['S256'],
    };
  } else if (path === '/jwks') {
    body = { keys: [jwk] };
  } else {
    res.writeHead(404).end(); return;
  }
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
});
server.once('listening', () => {
  const a = server.address();
  if (a && typeof a === 'object') issuer = `http://127.0.0.1:${a.port}`;
});
await announce(server, '');
