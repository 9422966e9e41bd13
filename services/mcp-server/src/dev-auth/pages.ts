// The two HTML pages of the development login: plain forms, no scripts, so a test can drive
// them with fetch and a human with any browser.

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** How a page names the client: its registered name when it has one, and always its id. */
export interface ClientLabel {
  readonly id: string;
  /** `client_name` from registration (RFC 7591 §2); self-asserted for registered clients. */
  readonly name?: string;
  /** True for dynamically registered clients, whose name nobody has checked. */
  readonly selfRegistered: boolean;
  /** True when the id is a Client ID Metadata Document URL: the name comes from that document. */
  readonly metadataDocument?: boolean;
}

/** Long enough for any real application name; a longer one is cut, never wraps the page away. */
const MAX_NAME = 80;

// Long unbroken strings (random client ids, URLs) wrap instead of widening the page.
const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;overflow-wrap:anywhere}
.dev{background:#fee;border:1px solid #c00;padding:.5rem;font-size:.85rem}.id{color:#555;font-size:.85rem}
label,input,button{display:block;width:100%;margin:.4rem 0}.err{color:#c00}</style></head>
<body><p class="dev">DEVELOPMENT authorization server: demo users only, in-memory, loopback only.
Never use it in production.</p>${body}</body></html>`;

function displayName(client: ClientLabel): string {
  const name = client.name?.trim();
  if (!name) return client.id;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name;
}

// The id is shown too: a registered client chooses its own name, so the name alone proves nothing.
function clientLine(client: ClientLabel): string {
  const note = client.metadataDocument ? ' (metadata document; the name is the application\'s own claim, the id is where it is published)'
    : client.selfRegistered ? ' (self-registered; the name is the application\'s own claim)' : '';
  return `<p class="id">Client id <code>${esc(client.id)}</code>${note}</p>`;
}

/** The username/password form; `error` is shown after a failed attempt. */
export function loginPage(uid: string, client: ClientLabel, error?: string, username = ''): string {
  return layout('Sign in', `<h1>Sign in</h1><p>to continue to <b>${esc(displayName(client))}</b></p>${clientLine(client)}
${error ? `<p class="err">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label>Username <input name="username" value="${esc(username)}" required autofocus></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button></form>`);
}

/** The consent form for dynamically registered clients (the realm requires consent for them). */
export function consentPage(uid: string, client: ClientLabel, granted: readonly string[], refused: readonly string[]): string {
  const list = (xs: readonly string[]) => xs.map((s) => `<li><code>${esc(s)}</code></li>`).join('');
  return layout('Authorize', `<h1>Authorize ${esc(displayName(client))}?</h1>${clientLine(client)}
<p>The application asks for:</p><ul>${list(granted)}</ul>
${refused.length ? `<p>Not available to your account (will be left out):</p><ul>${list(refused)}</ul>` : ''}
<form method="post" action="/interaction/${esc(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit">Deny</button></form>`);
}
