#!/usr/bin/env bash
# Stop the Keycloak started by start.sh: SIGTERM to its process group, wait up
# to KC_STOP_TIMEOUT seconds (default 30), then SIGKILL as a last resort.
set -euo pipefail
# shellcheck source=scripts/keycloak/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ ! -f "$KC_PID_FILE" ]]; then
  kc_log "not running (no $KC_PID_FILE)"
  exit 0
fi
pid="$(cat "$KC_PID_FILE")"
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
  kc_log "not running (stale pid file)"
  rm -f "$KC_PID_FILE" "$KC_ENV_FILE"
  exit 0
fi

# start.sh used setsid, so the pid is also the process group id; signal the
# group (kc.sh and its java child), falling back to the pid alone.
signal() { kill "-$1" -- "-$pid" 2>/dev/null || kill "-$1" "$pid" 2>/dev/null || true; }
alive() { kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; }

kc_log "stopping Keycloak (pid $pid)"
signal TERM
deadline=$(( SECONDS + ${KC_STOP_TIMEOUT:-30} ))
while alive; do
  if (( SECONDS >= deadline )); then
    kc_log "still running after ${KC_STOP_TIMEOUT:-30}s, sending SIGKILL"
    signal KILL
    sleep 1
    break
  fi
  sleep 0.5
done
rm -f "$KC_PID_FILE" "$KC_ENV_FILE"
kc_log "stopped"
