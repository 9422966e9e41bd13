// The two HTML pages of the development login: plain forms, no scripts, so a test can drive
// them with fetch and a human with any browser.

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
.dev{background:#fee;border:1px solid #c00;padding:.5rem;font-size:.85rem}
label,input,button{display:block;width:100%;margin:.4rem 0}.err{color:#c00}</style></head>
<body><p class="dev">DEVELOPMENT authorization server: demo users only, in-memory, loopback only.
Never use it in production.</p>${body}</body></html>`;

/** The username/password form; `error` is shown after a failed attempt. */
export function loginPage(uid: string, clientId: string, error?: string, username = ''): string {
  return layout('Sign in', `<h1>Sign in</h1><p>to continue to <b>${esc(clientId)}</b></p>
${error ? `<p class="err">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label>Username <input name="username" value="${esc(username)}" required autofocus></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button></form>`);
}

/** The consent form for dynamically registered clients (the realm requires consent for them). */
export function consentPage(uid: string, clientId: string, granted: readonly string[], refused: readonly string[]): string {
  const list = (xs: readonly string[]) => xs.map((s) => `<li><code>${esc(s)}</code></li>`).join('');
  return layout('Authorize', `<h1>Authorize ${esc(clientId)}?</h1>
<p>The application asks for:</p><ul>${list(granted)}</ul>
${refused.length ? `<p>Not available to your account (will be left out):</p><ul>${list(refused)}</ul>` : ''}
<form method="post" action="/interaction/${esc(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit">Deny</button></form>`);
}
