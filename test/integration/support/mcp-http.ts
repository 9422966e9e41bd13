/**
 * Raw MCP over HTTP (2025-11-25 Streamable HTTP, stateless): one JSON-RPC request per POST,
 * so a test sees the status code and the WWW-Authenticate challenge a client would see.
 */

/** One response: HTTP status, the challenge (if any) and the JSON-RPC message or error body. */
export interface RpcResponse {
  status: number;
  wwwAuthenticate: string | null;
  body: Record<string, unknown>;
}

let nextId = 1;

/** POSTs `method` with `params` to the MCP endpoint, with `token` as Bearer credentials when given. */
export async function rpc(url: string, token: string | undefined, method: string, params: Record<string, unknown> = {}): Promise<RpcResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }) });
  const text = await res.text();
  let body: Record<string, unknown>;
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    // The last `data:` line carries the response (earlier ones would be notifications).
    const data = text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
    body = JSON.parse(data[data.length - 1] ?? '{}') as Record<string, unknown>;
  } else {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
  return { status: res.status, wwwAuthenticate: res.headers.get('www-authenticate'), body };
}

/** tools/call `name`; returns the raw response. */
export function callTool(url: string, token: string | undefined, name: string, args: Record<string, unknown> = {}): Promise<RpcResponse> {
  return rpc(url, token, 'tools/call', { name, arguments: args });
}

/** A parameter of a Bearer challenge (RFC 6750 §3), e.g. `scope` or `error`. */
export function challengeParam(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`(?:^|[\\s,])${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(header);
  return m?.[1]?.replace(/\\(.)/g, '$1');
}
