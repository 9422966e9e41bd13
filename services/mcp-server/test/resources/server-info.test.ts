import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SUPPORTED_VERSIONS } from '../../src/mcp/protocol.js';
import { examples, principal, type Examples } from '../tools/support/examples.js';

let ex: Examples;
beforeAll(async () => { ex = await examples(); });
afterAll(async () => { await ex.close(); });

describe('info://server', () => {
  it('is listed as a JSON resource', async () => {
    const r = await ex.call('resources/list');
    expect(r.result!.resources).toEqual([expect.objectContaining({ uri: 'info://server', name: 'server-info', title: 'Server information', mimeType: 'application/json' })]);
  });

  it('reads as JSON naming every protocol version and both transports', async () => {
    const r = await ex.call('resources/read', { uri: 'info://server' });
    expect(r.error).toBeUndefined();
    const contents = r.result!.contents as { uri: string; mimeType: string; text: string }[];
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatchObject({ uri: 'info://server', mimeType: 'application/json' });
    expect(JSON.parse(contents[0].text)).toEqual({ name: 'mcp-resource-server', protocolVersions: [...SUPPORTED_VERSIONS], transports: ['streamable-http', 'stdio'] });
    expect(SUPPORTED_VERSIONS).toEqual(['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26']);
  });

  it('needs mcp:resources', async () => {
    const p = principal(['mcp:tools', 'mcp:prompts']);
    expect((await ex.call('resources/list', {}, { principal: p })).result!.resources).toEqual([]);
    const r = await ex.call('resources/read', { uri: 'info://server' }, { principal: p });
    expect(r.status).toBe(403);
    expect(r.error).toMatchObject({ code: -32010, data: { requiredScopes: ['mcp:resources'] } });
  });

  it('answers an unknown URI with -32602 resource not found', async () => {
    const r = await ex.call('resources/read', { uri: 'info://nothing' });
    expect(r.error).toMatchObject({ code: -32602, data: { uri: 'info://nothing' } });
  });
});
