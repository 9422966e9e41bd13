/**
 * The hooks the server calls when something worth counting happens. Modules call
 * `metrics.x(...)` on the live binding below; it is a no-op until start-up (or a test)
 * installs a real sink with setMetrics, so an embedding app without metrics pays one empty
 * call per event. Values passed here are bounded by the caller or by the sink: never a token,
 * a subject, an address or a client-chosen string.
 */

/** Protocol era of a request. */
export type Era = 'modern' | 'legacy';

/** Outcome of a tools/call or prompts/get (the audit outcome). */
export type CallOutcome = 'ok' | 'error' | 'input_required' | 'denied';

/** What the server reports. */
export interface MetricsSink {
  /** One JSON-RPC request answered by the engine; `method` is a known method or "unknown". */
  mcpRequest(method: string, status: number, era: Era): void;
  /** One tools/call or prompts/get finished; the sink maps names outside the catalogue to "unknown". */
  call(kind: 'tool' | 'prompt', name: string, outcome: CallOutcome, seconds: number): void;
  /** Presented credentials were rejected; `reason` is an AuthError code. */
  authFailure(reason: string): void;
  /** A JWKS document was fetched (or the fetch failed). */
  jwksFetch(ok: boolean): void;
  /** A verified-token cache lookup, and the cache size after it. */
  tokenCache(hit: boolean, size: number): void;
  /** A request refused by a rate limit. */
  rateLimited(limit: 'requests' | 'failed_auth'): void;
}

const noop = (): void => {};

/** The sink that records nothing. */
export const NOOP_METRICS: MetricsSink = Object.freeze({
  mcpRequest: noop, call: noop, authFailure: noop, jwksFetch: noop, tokenCache: noop, rateLimited: noop,
});

/** The installed sink (a live ES module binding: importers always see the current one). */
export let metrics: MetricsSink = NOOP_METRICS;

/** Install a sink (undefined: back to the no-op one). */
export function setMetrics(sink: MetricsSink | undefined): void {
  metrics = sink ?? NOOP_METRICS;
}

/** What an MCP endpoint holds now, read when metrics are scraped. */
export interface EndpointUsage { streams: number; sessions: number }

const endpoints = new Set<() => EndpointUsage>();

/** Report an endpoint's usage at scrape time; returns the function that stops it. */
export function watchEndpoint(read: () => EndpointUsage): () => void {
  endpoints.add(read);
  return () => { endpoints.delete(read); };
}

/** Sum of the usage of every live endpoint. */
export function endpointUsage(): EndpointUsage {
  const total = { streams: 0, sessions: 0 };
  for (const read of endpoints) {
    const u = read();
    total.streams += u.streams;
    total.sessions += u.sessions;
  }
  return total;
}
