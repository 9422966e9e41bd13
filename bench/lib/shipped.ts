/**
 * Our shipped binary as the Dockerfile and `npm start` run it, for `npm run bench` and
 * bench/ab.ts alike: node with the V8 flags docker/Dockerfile's ENTRYPOINT passes, configured
 * only through the environment, driven with the shipped tool closest to echo.
 */
import { readFileSync } from 'node:fs';
import type { Child } from './child.js';
import { modernBody, modernHeaders, RESOURCE } from './common.js';
import { freePort, startExternal } from './external.js';

/** The node flags of docker/Dockerfile's ENTRYPOINT (read from there, so the bench measures what is deployed). */
export function dockerfileFlags(): string[] {
  const m = /^ENTRYPOINT \[(.*)\]$/m.exec(readFileSync(new URL('../../docker/Dockerfile', import.meta.url), 'utf8'));
  const argv = m ? (JSON.parse(`[${m[1]}]`) as string[]) : [];
  return argv.slice(1).filter((a) => a.startsWith('--'));
}

/**
 * Start `main` (services/mcp-server/dist/main.js, or another build of it) with `flags` and
 * NODE_ENV=production, JWT auth against `issuer`, LOG_LEVEL=info, output to a log file, plus
 * `env`. The one change from the defaults: the per-subject rate limit (600 a minute) is lifted
 * so that one token can be driven at full speed; the limiter itself still runs.
 */
export async function startShipped(name: string, main: string, issuer: string, opts: { flags: string[]; env?: Record<string, string> }): Promise<Child> {
  const port = await freePort();
  return startExternal(name, process.execPath, [...opts.flags, main], {
    env: {
      NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info',
      MCP_AUTH_ISSUERS: issuer, MCP_RESOURCE_URI: RESOURCE, MCP_RATE_LIMIT_MAX: '1000000000', ...opts.env,
    },
    probe: `http://127.0.0.1:${port}/healthz`, url: `http://127.0.0.1:${port}/mcp`,
  });
}

// The shipped catalogue has no echo tool: get_weather({ location }) is the closest (one string
// argument, returned in a structured result; it also hashes the location and validates its
// output schema).
const WEATHER = { name: 'get_weather', arguments: { location: 'hello' } };

/** Headers and body of a 2026-07-28 get_weather call (no Authorization). */
export function weatherRequest(): { headers: Record<string, string>; body: string } {
  return { headers: modernHeaders('tools/call', WEATHER.name), body: modernBody('tools/call', WEATHER) };
}

/** Cheap per-response check during the load: the tool's result, not an error. */
export function verifyWeather(body: string): boolean {
  return body.includes('"location":"hello"') && !body.includes('"isError":true') && !body.includes('"error":');
}
