/**
 * Safety net for a Keycloak start that was interrupted: scripts/keycloak/start.sh launches
 * kc.sh in its own session, so when start.sh dies (Ctrl-C during the start) the harness never
 * learns the pid and Keycloak keeps running. We chose its port, so we can find exactly that
 * process by its `--http-port=<port>` argument and end its process group, and nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';

const ownGroup = (): number => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[2]);

/** Process groups of kc.sh processes started with --http-port=`port`. */
function keycloakGroups(port: number): number[] {
  const groups = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!args.some((a) => a.endsWith('/kc.sh')) || !args.includes(`--http-port=${port}`)) continue;
      const pgrp = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
      if (pgrp > 1) groups.add(pgrp);
    } catch {
      // the process ended while we looked
    }
  }
  groups.delete(ownGroup());
  return [...groups];
}

/** Ends a Keycloak left running on `port` (SIGTERM, SIGKILL after 15 s); returns the groups it ended. */
export async function endOrphanKeycloak(port: number): Promise<number[]> {
  const groups = keycloakGroups(port);
  const signal = (sig: NodeJS.Signals) => groups.forEach((g) => { try { process.kill(-g, sig); } catch { /* gone */ } });
  signal('SIGTERM');
  for (let i = 0; i < 30 && keycloakGroups(port).length; i++) await new Promise((r) => setTimeout(r, 500));
  if (keycloakGroups(port).length) signal('SIGKILL');
  return groups;
}
