// Minimal JSON GET used for AS metadata and JWKS. Injectable fetch (like jose's customFetch)
// keeps tests on a real loopback server while letting deployments add proxies or tracing.

/** The subset of the Fetch API the auth core calls. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Response bodies larger than this are refused: metadata and key sets are small. */
const MAX_BODY_BYTES = 512 * 1024;

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

/** GETs a URL and returns its JSON object body; throws FetchJsonError on any failure. */
export async function fetchJsonObject(
  fetchImpl: FetchLike,
  url: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      // Redirects are not followed: the document must live at the URL we derived (RFC 8414 §3).
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new FetchJsonError(`GET ${url} failed`, undefined, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchJsonError(`GET ${url} returned HTTP ${response.status}`, response.status);
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new FetchJsonError(`GET ${url} body too large`, response.status);
  let parsed: unknown;
  try {
    const text = await response.text();
    if (text.length > MAX_BODY_BYTES) throw new Error('body too large');
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new FetchJsonError(`GET ${url} did not return JSON`, response.status, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FetchJsonError(`GET ${url} did not return a JSON object`, response.status);
  }
  return parsed as Record<string, unknown>;
}
