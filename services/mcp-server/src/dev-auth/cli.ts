// Runs the development authorization server as its own process (integration tests, `npm start`
// helpers): `tsx src/dev-auth/cli.ts --port 0 --resource http://localhost:3000/mcp`.
// stdout carries exactly one line, `ISSUER <url>`, once ready; everything else goes to stderr.
import { format, parseArgs } from 'node:util';
import { createDevAuthServer } from './server.js';

// oidc-provider prints notices with console.info; keep stdout for the ISSUER line alone.
const toStderr = (...args: unknown[]) => { process.stderr.write(`${format(...args)}\n`); };
Object.assign(console, { info: toStderr, log: toStderr });

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    resource: { type: 'string', default: process.env.MCP_RESOURCE_URI ?? 'http://localhost:3000/mcp' },
    issuer: { type: 'string' },
    realm: { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`dev-auth: invalid --port ${values.port}`);
  process.exit(2);
}

try {
  const server = await createDevAuthServer({
    port, host: values.host, resource: values.resource,
    ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
    ...(values.realm !== undefined ? { realmFile: values.realm } : {}),
  });
  const stop = () => { server.close().finally(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`ISSUER ${server.issuer}\n`);
} catch (err) {
  console.error(`dev-auth: failed to start: ${(err as Error).message}`);
  process.exit(1);
}
