import { describe, expect, it } from '@jest/globals';
import { checkStandardHeaders, decodeHeaderValue } from '../../src/http/headers.js';
import { META, MODERN_VERSION, type JsonRpcRequest } from '../../src/mcp/protocol.js';

const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
const req = (method: string, params: Record<string, unknown> = {}): JsonRpcRequest => ({
  jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: { [META.protocolVersion]: MODERN_VERSION, [META.clientCapabilities]: {} } },
});
const check = (headers: Record<string, string | string[] | undefined>, msg: JsonRpcRequest) => checkStandardHeaders(headers, MODERN_VERSION, msg);

describe('decodeHeaderValue', () => {
  it('passes visible ASCII through and decodes the base64 sentinel', () => {
    expect(decodeHeaderValue('get_weather')).toBe('get_weather');
    expect(decodeHeaderValue(b64('café ☕'))).toBe('café ☕');
    expect(decodeHeaderValue('=?base64??=')).toBe('');
  });

  it('rejects control and non-ASCII characters', () => {
    expect(decodeHeaderValue('a\u0000b')).toBeUndefined();
    expect(decodeHeaderValue('a\nb')).toBeUndefined();
    expect(decodeHeaderValue('caf\u00e9')).toBeUndefined();
  });

  it('treats a malformed sentinel as a literal value', () => {
    expect(decodeHeaderValue('=?base64?!!!?=')).toBe('=?base64?!!!?=');
    expect(decodeHeaderValue('=?BASE64?YQ==?=')).toBe('=?BASE64?YQ==?=');
  });
});

describe('checkStandardHeaders', () => {
  it('accepts matching Mcp-Method and Mcp-Name', () => {
    expect(check({ 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, req('tools/call', { name: 'echo' }))).toBeUndefined();
    expect(check({ 'mcp-method': 'resources/read', 'mcp-name': 'file:///a b' }, req('resources/read', { uri: 'file:///a b' }))).toBeUndefined();
    expect(check({ 'mcp-method': 'tools/list' }, req('tools/list'))).toBeUndefined();
  });

  it('requires Mcp-Method and that it match', () => {
    expect(check({}, req('tools/list'))).toMatchObject({ rpcCode: -32020, httpStatus: 400, message: expect.stringMatching(/Mcp-Method header is required/) });
    expect(check({ 'mcp-method': 'tools/call' }, req('tools/list'))?.message).toMatch(/does not match the body method/);
    expect(check({ 'mcp-method': 'TOOLS/LIST' }, req('tools/list'))?.rpcCode).toBe(-32020);
  });

  it('requires Mcp-Name for named methods and compares it to the body', () => {
    expect(check({ 'mcp-method': 'tools/call' }, req('tools/call', { name: 'echo' }))?.message).toMatch(/Mcp-Name header is required/);
    expect(check({ 'mcp-method': 'prompts/get', 'mcp-name': 'other' }, req('prompts/get', { name: 'greet' }))?.message).toMatch(/does not match params.name/);
    expect(check({ 'mcp-method': 'resources/read', 'mcp-name': 'x://a' }, req('resources/read', { uri: 'x://b' }))?.message).toMatch(/params.uri/);
  });

  it('decodes a base64 sentinel Mcp-Name before comparing', () => {
    expect(check({ 'mcp-method': 'resources/read', 'mcp-name': b64('file:///ünïcödé') }, req('resources/read', { uri: 'file:///ünïcödé' }))).toBeUndefined();
    expect(check({ 'mcp-method': 'tools/call', 'mcp-name': b64('echo') }, req('tools/call', { name: 'echo' }))).toBeUndefined();
    expect(check({ 'mcp-method': 'tools/call', 'mcp-name': b64('other') }, req('tools/call', { name: 'echo' }))?.rpcCode).toBe(-32020);
  });

  it('rejects invalid characters in Mcp-Name', () => {
    expect(check({ 'mcp-method': 'tools/call', 'mcp-name': 'ec\u0001ho' }, req('tools/call', { name: 'ec\u0001ho' }))?.message).toMatch(/invalid characters/);
  });

  it('rejects a body protocolVersion that differs from the header version', () => {
    const msg = req('tools/list');
    (msg.params!._meta as Record<string, unknown>)[META.protocolVersion] = '2025-11-25';
    expect(check({ 'mcp-method': 'tools/list' }, msg)?.message).toMatch(/MCP-Protocol-Version header does not match/);
  });

  it('joins repeated headers, so duplicates never match', () => {
    expect(check({ 'mcp-method': ['tools/list', 'tools/list'] }, req('tools/list'))?.rpcCode).toBe(-32020);
  });
});
