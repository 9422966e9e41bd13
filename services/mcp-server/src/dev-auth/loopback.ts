// Loopback checks: the development server binds, accepts registrations from, and answers CORS
// for loopback only (RFC 8252 §7.3 / §8.3: loopback redirects are the native-app norm).

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for localhost, 127.0.0.0/8 and ::1 host names or literals. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/** True for a remote address of a loopback peer (IPv4, IPv6, IPv4-mapped IPv6). */
export function isLoopbackIp(ip: string | undefined): boolean {
  if (ip === undefined) return false;
  return isLoopbackHost(ip.replace(/^::ffff:/i, ''));
}

/** True for an http(s) URL (or origin) whose host is loopback. */
export function isLoopbackUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
}
