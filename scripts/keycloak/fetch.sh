#!/usr/bin/env bash
# Download the Keycloak Quarkus distribution pinned in keycloak/VERSION from
# Maven Central (via Maven, no Docker needed) and unpack it into
# .cache/keycloak/keycloak-<version>. Idempotent: does nothing when present.
set -euo pipefail
# shellcheck source=scripts/keycloak/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ -x "$KC_HOME/bin/kc.sh" ]]; then
  kc_log "Keycloak $KC_VERSION already unpacked in $KC_HOME"
  echo "$KC_HOME"
  exit 0
fi

mkdir -p "$KC_CACHE_DIR"
tarball="$KC_CACHE_DIR/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
if [[ ! -s "$tarball" ]]; then
  kc_log "downloading org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz"
  mvn -q -B dependency:copy \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" \
    "-DoutputDirectory=$KC_CACHE_DIR" \
    -Dmdep.overWriteReleases=false
fi

kc_log "unpacking $tarball"
tmp="$(mktemp -d "$KC_CACHE_DIR/unpack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp"
# The archive holds a single top-level keycloak-<version>/ directory.
rm -rf "$KC_HOME"
mv "$tmp/keycloak-$KC_VERSION" "$KC_HOME"
kc_log "Keycloak $KC_VERSION ready in $KC_HOME"
echo "$KC_HOME"
