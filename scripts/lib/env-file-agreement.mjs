// Does an env file mean the same thing to every reader? `docker compose` reads it with its own
// dotenv parser (compose-go); `make keycloak` / `make start` source it with bash
// (`set -a; . ./.env`). The two disagree on unquoted spaces (bash runs the rest as a command),
// on `$`, backslashes and quotes inside double quotes, and more. This compares, for every
// variable, compose's value, bash's value and the literal value written between the quotes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// A value bash and compose both take verbatim without quotes: no blanks, quotes, `$`,
// backslashes, comment or shell metacharacters.
const SAFE_BARE = /^[^\s'"\\$`#;&|<>()*?[\]{}~!]*$/;

/**
 * The value the author wrote: the text between single quotes, or between double quotes when
 * nothing inside is special to either reader (`$`, backslash, backquote, `!`), or a bare value
 * made only of safe characters. Anything else has no single meaning.
 * @param {string} raw text after `=`
 * @returns {{ value: string } | { problem: string }}
 */
export function literalValue(raw) {
  const quoted = /^'([^']*)'$/.exec(raw) ?? /^"([^"\\$`!]*)"$/.exec(raw);
  if (quoted) return { value: quoted[1] };
  if (SAFE_BARE.test(raw)) return { value: raw };
  return { problem: `write it in single quotes (bash and compose read ${JSON.stringify(raw)} differently or not at all)` };
}

/** The assignments of an env file, in order: `NAME=raw` lines, comments and blanks skipped. */
export function assignments(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    out.push(m ? { name: m[1], raw: m[2] } : { name: undefined, raw: line });
  }
  return out;
}

/** What bash's `set -a; . ./file` exports, with nothing inherited but PATH; plus its stderr. */
export function bashValues(file) {
  // --norc and no stdin: node's stdio pipes are sockets, which makes bash read ~/.bashrc as if
  // started by sshd.
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', 'set -a; . "$1"; set +a; env -0', 'bash', resolve(file)], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const values = new Map();
  for (const entry of r.stdout.split('\0')) {
    const i = entry.indexOf('=');
    if (i > 0) values.set(entry.slice(0, i), entry.slice(i + 1));
  }
  return { values, stderr: r.stderr.trim(), status: r.status };
}

/**
 * Every way the three readings of `file` disagree, as messages (empty: they agree).
 * @param {string} file path of the env file
 * @param {Record<string, string>} composeValues compose-go's parse (compose-check --dotenv)
 */
export function envFileDisagreements(file, composeValues) {
  const problems = [];
  const bash = bashValues(file);
  if (bash.status !== 0 || bash.stderr) problems.push(`bash: set -a; . ${file} printed ${JSON.stringify(bash.stderr)} (exit ${bash.status})`);
  const seen = new Set();
  for (const { name, raw } of assignments(readFileSync(file, 'utf8'))) {
    if (!name) { problems.push(`not a NAME=value line: ${JSON.stringify(raw)}`); continue; }
    seen.add(name);
    const literal = literalValue(raw);
    if ('problem' in literal) { problems.push(`${name}: ${literal.problem}`); continue; }
    const want = JSON.stringify(literal.value);
    if (composeValues[name] !== literal.value) problems.push(`${name}: compose reads ${JSON.stringify(composeValues[name])}, written ${want}`);
    if (bash.values.get(name) !== literal.value) problems.push(`${name}: bash reads ${JSON.stringify(bash.values.get(name))}, written ${want}`);
  }
  for (const name of Object.keys(composeValues)) if (!seen.has(name)) problems.push(`${name}: compose sees a variable the file does not plainly assign`);
  return problems;
}
