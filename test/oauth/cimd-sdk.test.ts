/**
 * Client ID Metadata Documents with the official SDK v1 client (`clientMetadataUrl`): the AS
 * advertises client_id_metadata_document_supported, so the SDK skips DCR and uses its https
 * metadata URL as client_id. The development AS runs in this process with its document fetch
 * and DNS lookup injected (the https document is served from memory, the host "resolves" to a
 * public address), since the SSRF guard rightly refuses https to loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createDevAuthServer, type DevAuthServer } from '../../services/mcp-server/src/dev-auth/index.js';
import { claimsOf, CREDENTIALS, freePort, REDIRECT_URI, signIn, startInProcess, TestOAuthProvider } from './support.js';

const CLIENT_ID = 'https://client.example/mcp/client-metadata.json';
const DOCUMENT = {
  client_id: CLIENT_ID, client_name: 'CIMD SDK client', redirect_uris: [REDIRECT_URI],
  grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none',
};

class CimdProvider extends TestOAuthProvider {
  readonly clientMetadataUrl = CLIENT_ID;
}

let as: DevAuthServer;
let server: Awaited<ReturnType<typeof startInProcess>>;
let resource: string;
const fetched: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  as = await createDevAuthServer({
    resource, port: 0, host: '127.0.0.1', env: CREDENTIALS, log: () => {},
    cimd: {
      lookup: async () => ['93.184.215.14'],
      fetch: async (url) => {
        fetched.push(url);
        return url === CLIENT_ID ? Response.json(DOCUMENT) : new Response('not found', { status: 404 });
      },
    },
  });
  server = await startInProcess({ PORT: String(port) }, resource, as.issuer);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await as?.close();
});

describe('SDK v1 client with clientMetadataUrl', () => {
  it('no DCR: the metadata URL is the client_id; consent, code + PKCE, then tools with the token', async () => {
    const seen: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${String(input instanceof Request ? input.url : input)}`);
      return fetch(input, init);
    };
    const provider = new CimdProvider();
    const t1 = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider, fetch: recording });
    await expect(new Client({ name: 'cimd', version: '1.0.0' }).connect(t1)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(seen.some((s) => s.endsWith('/reg'))).toBe(false);
    expect(provider.lastAuthorizationUrl.searchParams.get('client_id')).toBe(CLIENT_ID);

    await t1.finishAuth((await signIn(provider.lastAuthorizationUrl, 'bob')).searchParams.get('code')!);
    const token = provider.tokens()!.access_token;
    expect(claimsOf(token)).toMatchObject({ iss: as.issuer, aud: resource, sub: 'bob', client_id: CLIENT_ID, scope: 'mcp:tools' });
    expect(fetched).toEqual([CLIENT_ID]); // fetched once, then served from the cache

    const client = new Client({ name: 'cimd', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
    try {
      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.structuredContent).toMatchObject({ subject: 'bob', clientId: CLIENT_ID, scopes: ['mcp:tools'] });
    } finally {
      await client.close();
    }
  });
});
