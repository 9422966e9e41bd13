#!/usr/bin/env bash
# Build the realm's Keycloak provider (keycloak/providers/mcp-step-up-scopes): one client
# registration policy that lets dynamically registered MCP clients step up to privileged
# scopes (see its StepUpScopesPolicy.java for why Keycloak needs it).
#
#   scripts/keycloak/build-provider.sh <keycloak-home> [<out.jar>]
#
# Compiles against the jars of the Keycloak it will run in (<keycloak-home>/lib/lib/main), so
# no Maven and no network: a JDK (javac, jar) is all it needs. The default output is
# <keycloak-home>/providers/mcp-step-up-scopes.jar, which `kc.sh start-dev` (and `start`
# without --optimized) picks up. Rebuilds only when a source is newer than the jar.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../keycloak/providers/mcp-step-up-scopes" && pwd)"
kc_home="${1:?usage: build-provider.sh <keycloak-home> [<out.jar>]}"
out="${2:-$kc_home/providers/mcp-step-up-scopes.jar}"
lib="$kc_home/lib/lib/main"
[[ -d "$lib" ]] || { echo "build-provider: no Keycloak libraries under $lib" >&2; exit 2; }

bin() { # a JDK tool: from JAVA_HOME when it has one, else PATH
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/$1" ]]; then echo "$JAVA_HOME/bin/$1"; else command -v "$1" || true; fi
}
javac="$(bin javac)"; jar="$(bin jar)"
if [[ -z "$javac" || -z "$jar" ]]; then
  echo "build-provider: javac and jar are needed (a JDK 17+, e.g. Debian's openjdk-17-jdk-headless)" >&2; exit 2
fi

if [[ -f "$out" && -z "$(find "$src/src" -newer "$out" -type f -print -quit)" ]]; then exit 0; fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mapfile -t sources < <(find "$src/src/main/java" -name '*.java')
# --release 17: Keycloak runs on Java 17 or newer.
"$javac" --release 17 -encoding UTF-8 -nowarn -cp "$lib/*" -d "$work/classes" "${sources[@]}"
cp -r "$src/src/main/resources/." "$work/classes/"
mkdir -p "$(dirname "$out")"
"$jar" --create --file "$work/provider.jar" -C "$work/classes" .
mv "$work/provider.jar" "$out"
echo "build-provider: $out" >&2
