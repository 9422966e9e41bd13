// Outbound fetches of the auth core (AS metadata, JWKS, introspection, token exchange), all
// bounded: a byte limit enforced while the body streams in, whether or not the server sent
// Content-Length (a chunked or lying response is cut at the limit, never buffered whole),
// and a timeout that covers the whole exchange, body included. Injectable fetch (like jose's
// customFetch) keeps tests on a real loopback server while letting deployments add proxies.

/** The subset of the Fetch API the auth core calls. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Response bodies larger than this are refused: metadata, key sets and token responses are small. */
export const MAX_RESPONSE_BYTES = 512 * 1024;

/** Error raised when a remote JSON document cannot be retrieved or parsed. */
export class FetchJsonError extends Error {
  constructor(
    message: string,
    /** HTTP status, when a response was received. */
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FetchJsonError';
  }
}

/** Thrown (as the body stream's error) when a response passes the byte limit. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(readonly limit: number) { super(`response body exceeds ${limit} bytes`); }
}

/**
 * Read a response body as text, at most `limit` bytes. A declared Content-Length over the
 * limit is refused before reading; otherwise the stream is cancelled the moment it passes.
 */
export async function readLimited(response: Response, limit = MAX_RESPONSE_BYTES): Promise<string> {
  if (Number(response.headers.get('content-length') ?? '0') > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(limit);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Wrap a fetch so that every response body is capped at `limit` bytes as it streams and the
 * whole exchange (headers and body) is aborted after `timeoutMs`. For libraries that read
 * bodies themselves (openid-client: introspection, token exchange).
 */
export function boundedFetch(fetchImpl: FetchLike, timeoutMs: number, limit = MAX_RESPONSE_BYTES): FetchLike {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await fetchImpl(input, { ...init, signal });
    if (Number(response.headers.get('content-length') ?? '0') > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit);
    }
    if (!response.body) return response;
    let size = 0;
    const capped = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(new ResponseTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }), { signal });
    return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** GETs a URL and returns its JSON object body; throws FetchJsonError on any failure. */
export async function fetchJsonObject(
  fetchImpl: FetchLike,
  url: string,
  timeoutMs: number,
  /** Byte limit for the body (default MAX_RESPONSE_BYTES). */
  limit = MAX_RESPONSE_BYTES,
): Promise<Record<string, unknown>> {
  // One signal for the request and the body: a server that trickles its body still times out.
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      // Redirects are not followed: the document must live at the URL we derived (RFC 8414 §3).
      redirect: 'manual',
      signal,
    });
  } catch (cause) {
    throw new FetchJsonError(`GET ${url} failed`, undefined, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchJsonError(`GET ${url} returned HTTP ${response.status}`, response.status);
  }
  let text: string;
  try {
    text = await Promise.race([readLimited(response, limit), aborted(signal)]);
  } catch (cause) {
    await response.body?.cancel().catch(() => undefined);
    const why = cause instanceof ResponseTooLargeError ? 'body too large' : signal.aborted ? 'timed out reading the body' : 'body could not be read';
    throw new FetchJsonError(`GET ${url} ${why}`, response.status, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new FetchJsonError(`GET ${url} did not return JSON`, response.status, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FetchJsonError(`GET ${url} did not return a JSON object`, response.status);
  }
  return parsed as Record<string, unknown>;
}

/** Rejects when `signal` aborts (an injected fetch may not tie its body to the signal). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
