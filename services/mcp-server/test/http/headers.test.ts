import { describe, expect, it } from '@jest/globals';
import { checkParamHeaders, checkStandardHeaders, decodeHeaderValue } from '../../src/http/headers.js';
import { compileParamHeaders } from '../../src/mcp/param-headers.js';
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

  it('refuses a sentinel whose payload is not canonical Base64 of UTF-8 (clients MUST encode look-alike literals)', () => {
    expect(decodeHeaderValue('=?base64?!!!?=')).toBeUndefined();
    expect(decodeHeaderValue('=?base64?SGVsbG8?=')).toBeUndefined();
    expect(decodeHeaderValue('=?base64?SGVs!!!bG8=?=')).toBeUndefined();
    expect(decodeHeaderValue('=?base64?/w==?=')).toBeUndefined();
  });

  it('treats a value that is not in the sentinel shape as a literal', () => {
    expect(decodeHeaderValue('=?BASE64?YQ==?=')).toBe('=?BASE64?YQ==?=');
    expect(decodeHeaderValue('=?base64?SGVsbG8=')).toBe('=?base64?SGVsbG8=');
    expect(decodeHeaderValue('SGVsbG8=')).toBe('SGVsbG8=');
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

describe('Mcp-Param-* headers (x-mcp-header)', () => {
  const mapped = compileParamHeaders('sql', {
    type: 'object',
    properties: {
      region: { type: 'string', 'x-mcp-header': 'Region' },
      priority: { type: 'integer', 'x-mcp-header': 'Priority' },
      opts: { type: 'object', properties: { verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' } } },
      query: { type: 'string' },
    },
  });
  const ok = (headers: Record<string, string>, args: unknown) => expect(checkParamHeaders(headers, mapped, args)).toBeUndefined();
  const bad = (headers: Record<string, string>, args: unknown, message: RegExp) =>
    expect(checkParamHeaders(headers, mapped, args)).toMatchObject({ rpcCode: -32020, httpStatus: 400, code: 'ERR_HEADER_MISMATCH', message });

  it('accepts matching headers: strings as-is, integers numerically, booleans in lower case', () => {
    ok({ 'mcp-param-region': 'us-west1', 'mcp-param-priority': '42.0', 'mcp-param-verbose': 'true' }, { region: 'us-west1', priority: 42, opts: { verbose: true }, query: 'x' });
    ok({ 'mcp-param-region': '  us-west1 ' }, { region: 'us-west1' });
  });

  it('decodes the Base64 sentinel before comparing', () => {
    ok({ 'mcp-param-region': b64('Hello, 世界') }, { region: 'Hello, 世界' });
    ok({ 'mcp-param-region': b64(' padded ') }, { region: ' padded ' });
    ok({ 'mcp-param-region': b64('=?base64?literal?=') }, { region: '=?base64?literal?=' });
  });

  it('expects no header for an absent or null argument', () => {
    ok({}, { query: 'x' });
    ok({}, { region: null, opts: { verbose: null } });
    ok({}, undefined);
  });

  it('refuses a mismatch, naming the header and never the value', () => {
    bad({ 'mcp-param-region': 'eu-west1' }, { region: 'SECRET-us' }, /^Header mismatch: the Mcp-Param-Region header does not match the argument$/);
    bad({ 'mcp-param-priority': '7' }, { priority: 8 }, /Mcp-Param-Priority header does not match/);
    bad({ 'mcp-param-priority': '0x8' }, { priority: 8 }, /Mcp-Param-Priority header does not match/);
    bad({ 'mcp-param-verbose': 'True' }, { opts: { verbose: true } }, /Mcp-Param-Verbose header does not match/);
    bad({ 'mcp-param-region': 'us' }, {}, /Mcp-Param-Region header is present but the argument is not/);
  });

  it('refuses a missing header when the argument is in the body', () => {
    bad({}, { region: 'us-west1' }, /Mcp-Param-Region header is required when the argument is present/);
  });

  it('refuses invalid characters and invalid Base64', () => {
    bad({ 'mcp-param-region': 'caf\u00e9' }, { region: 'café' }, /invalid characters or Base64/);
    bad({ 'mcp-param-region': '=?base64?SGVsbG8?=' }, { region: 'Hello' }, /invalid characters or Base64/);
  });

  it('runs from checkStandardHeaders for tools/call, after Mcp-Name, with the tool named by the body', () => {
    const msg = req('tools/call', { name: 'sql', arguments: { region: 'us' } });
    const of = (name: string) => (name === 'sql' ? mapped : undefined);
    expect(checkStandardHeaders({ 'mcp-method': 'tools/call', 'mcp-name': 'sql', 'mcp-param-region': 'us' }, MODERN_VERSION, msg, of)).toBeUndefined();
    expect(checkStandardHeaders({ 'mcp-method': 'tools/call', 'mcp-name': 'sql' }, MODERN_VERSION, msg, of)?.message).toMatch(/Mcp-Param-Region header is required/);
    expect(checkStandardHeaders({ 'mcp-method': 'tools/call', 'mcp-name': 'other' }, MODERN_VERSION, msg, of)?.message).toMatch(/Mcp-Name/);
    expect(checkStandardHeaders({ 'mcp-method': 'tools/call', 'mcp-name': 'nope' }, MODERN_VERSION, req('tools/call', { name: 'nope', arguments: { region: 'us' } }), of)).toBeUndefined();
  });
});
