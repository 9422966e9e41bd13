/**
 * The cluster test's client side: RS256 tokens from the local issuer's key, stateless
 * 2026-07-28 tools/call, and subscriptions/listen streams read message by message.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { modernBody, modernHeaders } from '../../bench/lib/common.js';
import { messageOf } from '../../bench/lib/load.js';

export const RESOURCE = 'https://mcp.cluster.invalid/mcp';
const KID = 'cluster-1';

/** The signing key; its public half goes to the issuer process. */
export class Tokens {
  private n = 0;
  private constructor(private readonly key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'], readonly publicJwk: Record<string, unknown>, public issuer = '') {}

  static async create(): Promise<Tokens> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    return new Tokens(privateKey, { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' });
  }

  /** A token for `subject` (default: a fresh subject, so per-subject rate limits never bite). */
  mint(subject = `user-${++this.n}`): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: 'mcp:tools mcp:resources', client_id: 'cluster-test' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: KID })
      .setIssuer(this.issuer).setAudience(RESOURCE).setSubject(subject)
      .setIssuedAt(now).setExpirationTime(now + 3600).sign(this.key);
  }
}


/** What one call came back with; `status` is the HTTP status or the network error's name. */
export interface CallResult { ok: boolean; status: number | string; upstream: string; ms: number; detail: string }

/** A stateless 2026-07-28 tools/call; never throws, times out after `timeoutMs`. */
export async function callTool(url: string, token: string, name: string, args: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<CallResult> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...modernHeaders('tools/call', name), authorization: `Bearer ${token}` },
      body: modernBody('tools/call', { name, arguments: args }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const msg = messageOf(text);
    const ok = res.status === 200 && msg?.result !== undefined && msg.result.isError !== true;
    return { ok, status: res.status, upstream: res.headers.get('x-upstream') ?? '', ms: performance.now() - t0, detail: ok ? '' : text.slice(0, 200) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return { ok: false, status: err.cause?.code ?? err.name, upstream: '', ms: performance.now() - t0, detail: err.message };
  }
}

/** A notification as received on a listen stream, with its arrival time (performance.now()). */
export interface Received { method: string; params: Record<string, unknown>; at: number }

/** An open subscriptions/listen stream. */
export interface Listener {
  readonly messages: Received[];
  /** The first message from index `from` on matching `pred`, or undefined after `timeoutMs`. */
  waitFor(pred: (m: Received) => boolean, timeoutMs: number, from?: number): Promise<Received | undefined>;
  /** Whether the stream is still open. */
  open(): boolean;
  close(): void;
}

/** Open a listen stream on `url` for resource updates of `uris`; resolves once acknowledged. */
export async function listen(url: string, token: string, uris: string[]): Promise<Listener> {
  const ac = new AbortController();
  const connect = setTimeout(() => ac.abort(), 10_000);
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...modernHeaders('subscriptions/listen'), authorization: `Bearer ${token}` },
    body: modernBody('subscriptions/listen', { notifications: { resourceSubscriptions: uris } }),
    signal: ac.signal,
  });
  clearTimeout(connect);
  if (res.status !== 200 || !res.body) { ac.abort(); throw new Error(`listen on ${url}: HTTP ${res.status} ${await res.text().catch(() => '')}`); }
  const messages: Received[] = [];
  const waiters = new Set<() => void>();
  let isOpen = true;
  void (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const event = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
          if (!data) continue;
          try {
            const m = JSON.parse(data) as { method?: string; params?: Record<string, unknown> };
            if (m.method) messages.push({ method: m.method, params: m.params ?? {}, at: performance.now() });
          } catch { /* not JSON */ }
          for (const w of waiters) w();
        }
      }
    } catch { /* aborted or cut */ }
    isOpen = false;
    for (const w of waiters) w();
  })();
  const listener: Listener = {
    messages,
    open: () => isOpen,
    close: () => ac.abort(),
    waitFor: (pred, timeoutMs, from = 0) => new Promise((resolve) => {
      const check = () => {
        const hit = messages.slice(from).find(pred);
        if (hit || !isOpen) { clearTimeout(timer); waiters.delete(check); resolve(hit); }
      };
      const timer = setTimeout(() => { waiters.delete(check); resolve(undefined); }, timeoutMs);
      waiters.add(check);
      check();
    }),
  };
  const ack = await listener.waitFor((m) => m.method === 'notifications/subscriptions/acknowledged', 5000);
  if (!ack) { listener.close(); throw new Error(`listen on ${url}: no acknowledgement within 5 s`); }
  return listener;
}

/** A 2025-11-25 POST with a session id (or initialize without one); returns the status and Mcp-Session-Id. */
export async function legacyPost(url: string, token: string, method: string, sessionId?: string): Promise<{ status: number | string; sessionId: string | null; retryAfter: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream',
        ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: method === 'initialize' ? { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cluster', version: '1' } } : {} }),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return { status: res.status, sessionId: res.headers.get('mcp-session-id'), retryAfter: res.headers.get('retry-after') };
  } catch (e) {
    return { status: (e as Error).name, sessionId: null, retryAfter: null };
  }
}
