/**
 * One measured load: autocannon at fixed concurrency for a fixed time, latencies recorded
 * from every response at sub-millisecond resolution (autocannon's own histogram keeps whole
 * milliseconds), every body checked.
 */
import autocannon, { type RequestSpec } from 'autocannon';

/** The request a case sends; `rotate` swaps the Authorization header per request. */
export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Distinct bearer tokens to use round-robin, one per request. */
  rotate?: readonly string[];
  /** True when a response body is a real success (not an error, not an isError result). */
  verify: (body: string) => boolean;
}

/** Measured numbers of one load. */
export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Responses that were not 2xx, failed the body check, or errored / timed out. */
  bad: number;
  statuses: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Run autocannon with `connections` connections for `durationS` whole seconds (autocannon
 * checks the clock once a second), or for `amount` requests when given (smoke runs).
 */
export async function runLoad(spec: LoadSpec, connections: number, durationS: number, amount?: number): Promise<LoadResult> {
  let next = 0;
  const request: RequestSpec = { method: 'POST', path: new URL(spec.url).pathname, headers: spec.headers, body: spec.body };
  const tokens = spec.rotate;
  if (tokens && tokens.length > 0) {
    request.setupRequest = (req) => {
      req.headers = { ...spec.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` };
      return req;
    };
  }
  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.url, connections, duration: durationS, ...(amount ? { amount } : {}), timeout: 10, pipelining: 1,
    requests: [request], verifyBody: spec.verify,
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => { if (status >= 200 && status < 300) latencies.push(ms); });
  const t0 = performance.now();
  const r = await instance;
  const seconds = (performance.now() - t0) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const statuses: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.statusCodeStats ?? {})) statuses[k] = Number(v.count);
  return {
    requests: r.requests.total,
    rps: r.requests.total / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    bad: r.non2xx + r.mismatches + r.errors + r.timeouts,
    statuses,
  };
}

/** One request with fetch, for validation and set-up; returns status, headers and body text. */
export async function once(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The JSON-RPC message in a body that is either JSON or one SSE `message` event. */
export function messageOf(text: string): { result?: Record<string, unknown>; error?: unknown } | undefined {
  try {
    const data = text.startsWith('{') ? text : text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
    return JSON.parse(data) as { result?: Record<string, unknown>; error?: unknown };
  } catch {
    return undefined;
  }
}
