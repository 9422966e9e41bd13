#!/usr/bin/env node
// Offline check of docker-compose.yml, standing in for `docker compose config` on machines
// without Docker: compose-go (the library Docker Compose is built on) loads and validates the
// file with .env.example, for the default and the prod profile, then the wiring the appliance
// depends on is asserted. Needs Go (module proxy) to build the loader once into .cache/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envFileDisagreements } from './lib/env-file-agreement.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, '.cache/compose-check/compose-check');
let passed = 0;
const failures = [];
const check = (what, ok) => { if (ok) passed++; else failures.push(what); };

if (spawnSync('go', ['version']).status !== 0) {
  const msg = 'check-compose: Go is not installed, so the compose file cannot be validated offline.';
  if (process.env.CI === 'true') { console.error(`${msg} CI requires it.`); process.exit(1); }
  console.error(`\n########\n${msg} Skipping (CI would fail).\n########\n`);
  process.exit(0);
}
execFileSync('go', ['build', '-o', bin, '.'], { cwd: join(root, 'scripts/compose-check'), stdio: 'inherit' });

const load = (...profiles) => JSON.parse(execFileSync(bin, ['docker-compose.yml', '.env.example', ...profiles], { cwd: root, encoding: 'utf8' }));
const demo = load();
const prod = load('prod');

const names = (p) => Object.keys(p.services).sort().join(',');
check('default profile runs keycloak and mcp-server', names(demo) === 'keycloak,mcp-server');
check('prod profile adds postgres', names(prod) === 'keycloak,mcp-server,postgres');

const kc = demo.services.keycloak;
const mcp = demo.services['mcp-server'];
const version = readFileSync(join(root, 'keycloak/VERSION'), 'utf8').trim();
// Keycloak is built from the upstream image plus the realm's provider jar (docker/keycloak.Dockerfile).
check(`keycloak is built on the upstream image pinned to keycloak/VERSION (${version})`, kc.build?.args?.KEYCLOAK_IMAGE === `quay.io/keycloak/keycloak:${version}`);
check('keycloak is built with docker/keycloak.Dockerfile (the step-up provider)', kc.build?.dockerfile === 'docker/keycloak.Dockerfile');
check(`keycloak's built image is tagged with keycloak/VERSION (${version})`, kc.image === `mcp-resource-server-keycloak:${version}`);
const kcDockerfile = readFileSync(join(root, 'docker/keycloak.Dockerfile'), 'utf8');
check('docker/keycloak.Dockerfile defaults to the same upstream image', kcDockerfile.includes(`ARG KEYCLOAK_IMAGE=quay.io/keycloak/keycloak:${version}\n`));
check('keycloak starts in dev mode and imports the realm', kc.command.join(' ') === 'start-dev --import-realm');
check('prod keycloak command is configurable', prod.services.keycloak.command.includes('--import-realm'));
const realmMount = kc.volumes.find((v) => v.target === '/opt/keycloak/data/import/mcp-realm.json');
check('the realm file is mounted read-only and exists', realmMount?.read_only === true && existsSync(realmMount.source));
check('keycloak has a healthcheck', Array.isArray(kc.healthcheck?.test) && kc.healthcheck.test.join(' ').includes('/health/ready'));
check('mcp-server is built from docker/Dockerfile', mcp.build?.dockerfile === 'docker/Dockerfile' && existsSync(join(root, 'docker/Dockerfile')));
check('the Dockerfile declares a HEALTHCHECK and a non-root user', /^HEALTHCHECK /m.test(readFileSync(join(root, 'docker/Dockerfile'), 'utf8')) && /^USER node$/m.test(readFileSync(join(root, 'docker/Dockerfile'), 'utf8')));
check('mcp-server waits for a healthy keycloak', mcp.depends_on?.keycloak?.condition === 'service_healthy');
check('mcp-server trusts the realm issuer', mcp.environment.MCP_AUTH_ISSUERS === 'http://localhost:8080/realms/mcp');
check('tokens are addressed to the resource the server serves', mcp.environment.MCP_RESOURCE_URI === kc.environment.MCP_RESOURCE_URI);
check('the server reaches keycloak on the compose network for keys', mcp.environment.MCP_AUTH_JWKS_URI.startsWith('http://keycloak:8080/realms/mcp/'));
check('the introspection secret is the realm\'s mcp-server secret', mcp.environment.MCP_INTROSPECTION_CLIENT_SECRET === kc.environment.MCP_SERVER_CLIENT_SECRET);
check('mcp-server runs read-only with init', mcp.read_only === true && mcp.init === true);
const published = (svc) => svc.ports.map((p) => `${p.host_ip}:${p.published}:${p.target}`);
check('ports 3000 and 8080 are published on loopback only', published(mcp).join() === '127.0.0.1:3000:3000' && published(kc).join() === '127.0.0.1:8080:8080');
check('metrics (MCP_METRICS_PORT) are exposed on the compose network and never published', mcp.environment.MCP_METRICS_PORT === '9464'
  && (mcp.expose ?? []).map(String).includes('9464') && mcp.ports.every((p) => String(p.target) !== '9464'));
// The demo runs dev-mem (H2): a JDBC URL for PostgreSQL handed to it stops Keycloak, so only
// the host and database reach Keycloak, and in prod they name the profile's own postgres.
check('the demo keycloak runs dev-mem and gets no KC_DB_URL', kc.environment.KC_DB === 'dev-mem' && !('KC_DB_URL' in kc.environment));
const pk = prod.services.keycloak.environment;
check('prod keycloak is pointed at the postgres service and its database', !('KC_DB_URL' in pk) && pk.KC_DB_URL_HOST === 'postgres'
  && pk.KC_DB_URL_DATABASE === prod.services.postgres.environment.POSTGRES_DB
  && pk.KC_DB_USERNAME === prod.services.postgres.environment.POSTGRES_USER && pk.KC_DB_PASSWORD === prod.services.postgres.environment.POSTGRES_PASSWORD);
// .env.example turns the DCR sender check on for the no-Docker path; through Docker's port
// publishing the sender is the network's gateway, so compose checks the client URIs instead
// (Keycloak refuses both off), trusting MCP Inspector's client_uri host.
check('DCR from the host works in compose: client URIs checked instead of the sender', kc.environment.MCP_DCR_SENDER_MUST_MATCH === 'false'
  && kc.environment.MCP_DCR_CLIENT_URIS_MUST_MATCH === 'true' && kc.environment.MCP_DCR_EXTRA_TRUSTED_HOST === 'github.com');
check('prod keycloak waits for a healthy postgres', prod.services.keycloak.depends_on?.postgres?.condition === 'service_healthy');

// .env.example is read by compose (its dotenv parser) and by bash (make keycloak / make start
// do `set -a; . ./.env`): every value must mean the same to both, and what is written.
const dotenv = JSON.parse(execFileSync(bin, ['--dotenv', '.env.example'], { cwd: root, encoding: 'utf8' }));
const disagreements = envFileDisagreements(join(root, '.env.example'), dotenv);
for (const d of disagreements) console.error(`  .env.example: ${d}`);
check(`every value of .env.example reads the same in compose, in bash and as written (${Object.keys(dotenv).length} variables)`, disagreements.length === 0);

for (const f of failures) console.error(`compose check FAILED: ${f}`);
console.log(`compose: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
