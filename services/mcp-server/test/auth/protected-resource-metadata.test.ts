import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../src/auth/errors.js';
import {
  buildProtectedResourceMetadata,
  protectedResourceMetadataPaths,
  protectedResourceMetadataUrl,
} from '../../src/auth/protected-resource-metadata.js';
import { canonicalResourceUri } from '../../src/auth/urls.js';

describe('protected resource metadata (RFC 9728)', () => {
  it('builds the document with resource exactly the canonical URI', () => {
    const doc = buildProtectedResourceMetadata({
      resource: 'https://mcp.example.com/mcp',
      authorizationServers: ['https://auth.example.com/realms/mcp'],
      scopesSupported: ['mcp:read', 'mcp:write'],
      resourceName: 'Example MCP',
      resourceDocumentation: 'https://docs.example.com/mcp',
    });
    expect(doc).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://auth.example.com/realms/mcp'],
      scopes_supported: ['mcp:read', 'mcp:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Example MCP',
      resource_documentation: 'https://docs.example.com/mcp',
    });
    expect(Object.isFrozen(doc)).toBe(true);
    const minimal = buildProtectedResourceMetadata({ resource: 'http://127.0.0.1:3000', authorizationServers: ['http://localhost:8080'] });
    expect(Object.keys(minimal)).toEqual(['resource', 'authorization_servers', 'bearer_methods_supported']);
  });

  it('rejects non-canonical or insecure resources with a did-you-mean hint', () => {
    const as = ['https://auth.example.com'];
    const bad: Array<[string, RegExp]> = [
      ['HTTPS://MCP.Example.com/mcp', /did you mean "https:\/\/mcp.example.com\/mcp"/],
      ['https://mcp.example.com/', /did you mean "https:\/\/mcp.example.com"/],
      ['https://mcp.example.com:443/mcp', /did you mean "https:\/\/mcp.example.com\/mcp"/],
      ['https://mcp.example.com/mcp#x', /fragment/],
      ['https://mcp.example.com/mcp?x=1', /query/],
      ['http://mcp.example.com/mcp', /did you mean "https:\/\/mcp.example.com\/mcp"/],
      ['mcp.example.com/mcp', /did you mean/],
    ];
    for (const [resource, msg] of bad) {
      expect(() => buildProtectedResourceMetadata({ resource, authorizationServers: as })).toThrow(msg);
    }
    expect(() => buildProtectedResourceMetadata({ resource: 'https://a.example', authorizationServers: [] }))
      .toThrow(ConfigurationError);
    expect(() => buildProtectedResourceMetadata({
      resource: 'https://a.example', authorizationServers: as, scopesSupported: ['bad scope'],
    })).toThrow(/invalid scope token/);
    expect(buildProtectedResourceMetadata({
      resource: 'http://mcp.internal/mcp', authorizationServers: ['http://kc:8080'], allowInsecureHttp: true,
    }).resource).toBe('http://mcp.internal/mcp');
  });

  it('computes well-known paths (RFC 9728 §3.1)', () => {
    expect(protectedResourceMetadataPaths('https://mcp.example.com/mcp')).toEqual([
      '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
    expect(protectedResourceMetadataPaths('https://mcp.example.com')).toEqual(['/.well-known/oauth-protected-resource']);
    expect(protectedResourceMetadataPaths('https://h/a/b')[0]).toBe('/.well-known/oauth-protected-resource/a/b');
    expect(protectedResourceMetadataUrl('https://mcp.example.com:8443/mcp'))
      .toBe('https://mcp.example.com:8443/.well-known/oauth-protected-resource/mcp');
    expect(canonicalResourceUri('HTTPS://H.example:443/')).toBe('https://h.example');
  });
});
