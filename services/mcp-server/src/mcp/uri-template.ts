/**
 * RFC 6570 URI templates, matching direction: does a concrete URI belong to a template, and
 * with which variable values? Supports the operators clients meet in MCP resource templates:
 * simple `{x}`, reserved `{+x}`, fragment `{#x}`, label `{.x}`, path `{/x}`, and the form
 * query `{?x,y}` / continuation `{&x}`. Compiled once, at registration.
 */

/** A compiled template. */
export interface UriTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  match(uri: string): Record<string, string | string[]> | undefined;
}

const EXPR = /\{([+#./;?&]?)([^}]+)\}/g;

/** Compile a template; throws TypeError on a malformed one (a startup-time mistake). */
export function compileUriTemplate(template: string): UriTemplate {
  if (/[{}]/.test(template.replace(EXPR, ''))) throw new TypeError(`Malformed URI template: ${template}`);
  const variables: string[] = [];
  const queryVars: string[] = [];
  let pattern = '';
  let last = 0;
  const groups: { name: string; explode: boolean }[] = [];
  for (const m of template.matchAll(EXPR)) {
    pattern += escapeRe(template.slice(last, m.index));
    last = m.index + m[0].length;
    const op = m[1];
    const names = m[2].split(',').map((n) => n.trim());
    for (const raw of names) {
      const explode = raw.endsWith('*');
      const name = raw.replace(/[*]$|:\d+$/, '');
      if (!/^[A-Za-z0-9_.%]+$/.test(name)) throw new TypeError(`Bad variable "${raw}" in URI template: ${template}`);
      variables.push(name);
      if (op === '?' || op === '&') { queryVars.push(name); continue; }
      groups.push({ name, explode });
      const prefix = op === '#' ? '#' : op === '.' ? '\\.' : op === '/' ? '/' : '';
      const body = op === '+' || op === '#' ? '.*?' : op === '/' && explode ? '[^?#]*?' : '[^/?#,]*?';
      pattern += `(?:${prefix}(${body}))${op === '' || op === '+' ? '' : '?'}`;
      if (names.length > 1 && raw !== names[names.length - 1]) pattern += op === '' || op === '+' ? ',' : '';
    }
    if (op === '?' || op === '&') pattern += '(?:[?&].*)?';
  }
  pattern += escapeRe(template.slice(last));
  const re = new RegExp(`^${pattern}$`);
  return Object.freeze({
    template,
    variables: Object.freeze(variables),
    match(uri: string) {
      const m = re.exec(uri);
      if (!m) return undefined;
      const out: Record<string, string | string[]> = {};
      groups.forEach((g, i) => {
        const v = m[i + 1];
        if (v === undefined) return;
        out[g.name] = g.explode ? v.split('/').filter(Boolean).map(safeDecode) : safeDecode(v);
      });
      if (queryVars.length > 0) {
        const q = uri.indexOf('?');
        if (q >= 0) {
          const params = new URLSearchParams(uri.slice(q + 1).split('#')[0]);
          for (const name of queryVars) { const v = params.get(name); if (v !== null) out[name] = v; }
        }
      }
      return out;
    },
  });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
