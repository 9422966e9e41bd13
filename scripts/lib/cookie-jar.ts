/**
 * A fetch that keeps cookies like one browser profile on one site (names only, no path
 * scoping) and never follows redirects: enough to drive an authorization server's login and
 * consent pages over plain HTTP in tests (dev AS and Keycloak alike).
 */

/** The cookie-keeping fetch; `clear()` forgets every cookie (a fresh profile, no SSO session). */
export interface CookieFetch {
  (url: string, init?: RequestInit): Promise<Response>;
  clear(): void;
}

/** Create a cookie-keeping fetch. */
export function cookieFetch(): CookieFetch {
  const jar = new Map<string, string>();
  const f = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (value === '' || expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  return Object.assign(f, { clear: () => jar.clear() });
}
