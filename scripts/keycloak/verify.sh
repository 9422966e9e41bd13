#!/usr/bin/env bash
# The bash -c checks below take their arguments as $0/$1 on purpose.
# shellcheck disable=SC2016
# Smoke-check a running Keycloak started by start.sh (or the harness) against
# what the MCP server relies on. Talks only to the local Keycloak.
#
#   scripts/keycloak/verify.sh [path/to/keycloak.env]
#
# Default env file: .cache/keycloak/run/keycloak.env. Needs curl and node.
# It creates one test-only public client, `mcp-test-direct-grant`, through the
# admin API (direct grants are enabled on that client only, never in the realm
# file) and registers a few anonymous DCR clients; both vanish when the
# in-memory Keycloak stops. Ends with "N passed, N failed".
set -uo pipefail
# shellcheck source=scripts/keycloak/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

env_file="${1:-$KC_ENV_FILE}"
[[ -f "$env_file" ]] || { kc_log "no env file $env_file: start Keycloak first"; exit 2; }
set -a
# shellcheck disable=SC1090
source "$env_file"
set +a
: "${KC_BASE_URL:?}" "${KC_ISSUER:?}" "${MCP_RESOURCE_URI:?}"

pass=0 fail=0
ok() { pass=$((pass + 1)); printf 'PASS  %s\n' "$*"; }
ko() { fail=$((fail + 1)); printf 'FAIL  %s\n' "$*"; }
check() { local name="$1"; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }

# json <expr>: evaluates a JS expression over stdin parsed as JSON (`d`).
json() { node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{let d;try{d=JSON.parse(s)}catch{d={}};const v=('"$1"');process.stdout.write(typeof v==="string"?v:JSON.stringify(v??null))})'; }
# claims: stdin is a token response; prints the access token's payload.
claims() { json 'JSON.parse(Buffer.from(String(d.access_token??"").split(".")[1]??"","base64url").toString()||"{}")'; }
has() { [[ " $1 " == *" $2 "* ]]; }
lacks() { ! has "$1" "$2"; }

token_url="$KC_ISSUER/protocol/openid-connect/token"
auth_url="$KC_ISSUER/protocol/openid-connect/auth"
reg_url="$KC_ISSUER/clients-registrations/openid-connect"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

echo "== discovery"
disc="$(curl -s "$KC_ISSUER/.well-known/openid-configuration")"
check "issuer is $KC_ISSUER" [ "$(json d.issuer <<<"$disc")" = "$KC_ISSUER" ]
check "registration_endpoint advertised" [ "$(json d.registration_endpoint <<<"$disc")" = "$reg_url" ]
check "S256 code challenge advertised" has "$(json 'd.code_challenge_methods_supported.join(" ")' <<<"$disc")" S256
check "RFC 8414 metadata served" [ "$(curl -s -o /dev/null -w '%{http_code}' "$KC_BASE_URL/.well-known/oauth-authorization-server/realms/mcp")" = 200 ]

echo "== client credentials (mcp-m2m)"
r="$(curl -s -u "mcp-m2m:$MCP_M2M_CLIENT_SECRET" -d grant_type=client_credentials -d 'scope=mcp:admin' "$token_url")"
c="$(claims <<<"$r")"; scope="$(json d.scope <<<"$r")"; aud="$(json '[].concat(d.aud).join(" ")' <<<"$c")"
echo "      scope=[$scope] aud=[$aud]"
check "m2m token aud contains $MCP_RESOURCE_URI" has "$aud" "$MCP_RESOURCE_URI"
check "m2m token scope has mcp:tools mcp:prompts mcp:resources" bash -c '[[ " $0 " == *" mcp:tools "* && " $0 " == *" mcp:prompts "* && " $0 " == *" mcp:resources "* ]]' "$scope"
check "m2m asked for mcp:admin without the role: not granted" lacks "$scope" mcp:admin

echo "== admin API: test-only direct-grant client"
admin_token="$(curl -s -d grant_type=password -d client_id=admin-cli \
  --data-urlencode "username=$KC_BOOTSTRAP_ADMIN_USERNAME" --data-urlencode "password=$KC_BOOTSTRAP_ADMIN_PASSWORD" \
  "$KC_BASE_URL/realms/master/protocol/openid-connect/token" | json d.access_token)"
check "bootstrap admin token" [ -n "$admin_token" ]
code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  "$KC_BASE_URL/admin/realms/mcp/clients" -d '{"clientId":"mcp-test-direct-grant","publicClient":true,
  "directAccessGrantsEnabled":true,"standardFlowEnabled":false,"fullScopeAllowed":false,
  "defaultClientScopes":["basic","profile","roles"],
  "optionalClientScopes":["mcp:tools","mcp:prompts","mcp:resources","mcp:admin","mcp:private"]}')"
check "created mcp-test-direct-grant (201, or 409 if present)" bash -c '[[ $0 == 201 || $0 == 409 ]]' "$code"

comps="$(curl -s -H "Authorization: Bearer $admin_token" "$KC_BASE_URL/admin/realms/mcp/components?type=org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy")"
th="$(json 'JSON.stringify(d.find(c=>c.providerId==="trusted-hosts"&&c.subType==="anonymous")?.config??{})' <<<"$comps")"
echo "      anonymous Trusted Hosts policy: $th"
check 'realm placeholders resolved at import (no ${...} left)' bash -c '[[ -n $0 && $0 != *"\${"* ]]' "$comps"

all='mcp:tools mcp:prompts mcp:resources mcp:admin mcp:private'
user_scope() {
  local pw_var="MCP_DEMO_${1^^}_PASSWORD"
  curl -s -d grant_type=password -d client_id=mcp-test-direct-grant --data-urlencode "username=$1" \
    --data-urlencode "password=${!pw_var}" --data-urlencode "scope=openid $all" "$token_url" > "$tmp/$1.json"
  json d.scope < "$tmp/$1.json"
}
echo "== per-user scope grants (all five MCP scopes requested)"
s="$(user_scope alice)"; echo "      alice: [$s]"
check "alice gets mcp:tools mcp:prompts only" bash -c '[[ " $0 " == *" mcp:tools "* && " $0 " == *" mcp:prompts "* && " $0 " != *" mcp:resources "* && " $0 " != *" mcp:admin "* && " $0 " != *" mcp:private "* ]]' "$s"
s="$(user_scope bob)"; echo "      bob:   [$s]"
check "bob gets mcp:tools only" bash -c '[[ " $0 " == *" mcp:tools "* && " $0 " != *" mcp:prompts "* && " $0 " != *" mcp:admin "* ]]' "$s"
s="$(user_scope admin)"; echo "      admin: [$s]"
check "admin gets all five MCP scopes" bash -c 'for x in mcp:tools mcp:prompts mcp:resources mcp:admin mcp:private; do [[ " $0 " == *" $x "* ]] || exit 1; done' "$s"
c="$(claims < "$tmp/alice.json")"
check "alice token aud contains $MCP_RESOURCE_URI and mcp-server" bash -c '[[ " $0 " == *" $1 "* && " $0 " == *" mcp-server "* ]]' "$(json '[].concat(d.aud).join(" ")' <<<"$c")" "$MCP_RESOURCE_URI"
check "alice token has sub and preferred_username" [ "$(json '(d.sub?"s":"")+(d.preferred_username??"")' <<<"$c")" = salice ]

echo "== authorization code + PKCE via mcp-inspector (login form, no direct grant)"
verifier="$(node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))')"
challenge="$(node -e 'process.stdout.write(require("crypto").createHash("sha256").update(process.argv[1]).digest("base64url"))' "$verifier")"
cb='http://localhost:6274/oauth/callback'
jar="$tmp/cookies"
page="$(curl -s -c "$jar" -b "$jar" -G "$auth_url" -d response_type=code -d client_id=mcp-inspector \
  --data-urlencode "redirect_uri=$cb" --data-urlencode 'scope=openid mcp:tools mcp:prompts mcp:admin' -d state=xyz \
  -d "code_challenge=$challenge" -d code_challenge_method=S256)"
action="$(grep -o 'action="[^"]*"' <<<"$page" | head -n1 | sed 's/^action="//; s/"$//; s/&amp;/\&/g')"
loc="$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode username=alice \
  --data-urlencode "password=$MCP_DEMO_ALICE_PASSWORD" "$action")"
code="$(node -e 'process.stdout.write(new URL(process.argv[1]).searchParams.get("code")??"")' "${loc:-http://x/}")"
check "login redirects to the Inspector callback with a code" bash -c '[[ $0 == "$1"* && -n $2 ]]' "$loc" "$cb" "$code"
r="$(curl -s -d grant_type=authorization_code -d client_id=mcp-inspector --data-urlencode "redirect_uri=$cb" \
  --data-urlencode "code=$code" --data-urlencode "code_verifier=$verifier" "$token_url")"
s="$(json d.scope <<<"$r")"; echo "      inspector token scope: [$s]"
check "inspector token: alice's grants only (no mcp:admin)" bash -c '[[ " $0 " == *" mcp:tools "* && " $0 " != *" mcp:admin "* ]]' "$s"
q() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -G "$auth_url" -d response_type=code -d client_id=mcp-inspector -d scope=mcp:tools "$@"; }
check "loopback redirect on any port accepted (RFC 8252)" bash -c '[[ $0 == 200* ]]' \
  "$(q --data-urlencode redirect_uri=http://127.0.0.1:51234/oauth/callback -d "code_challenge=$challenge" -d code_challenge_method=S256)"
check "no code_challenge: rejected" bash -c '[[ $0 == *error=invalid_request* ]]' "$(q --data-urlencode "redirect_uri=$cb")"
check "plain code_challenge_method: rejected" bash -c '[[ $0 == *error=invalid_request* ]]' \
  "$(q --data-urlencode "redirect_uri=$cb" -d code_challenge=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa -d code_challenge_method=plain)"
check "foreign redirect_uri: 400" bash -c '[[ $0 == 400* ]]' \
  "$(q --data-urlencode redirect_uri=http://evil.example/oauth/callback -d "code_challenge=$challenge" -d code_challenge_method=S256)"
check "password grant disabled on mcp-inspector" [ "$(curl -s -d grant_type=password -d client_id=mcp-inspector -d username=alice \
  --data-urlencode "password=$MCP_DEMO_ALICE_PASSWORD" "$token_url" | json d.error)" = unauthorized_client ]

echo "== anonymous dynamic client registration from localhost"
dcr() { curl -s -o "$tmp/dcr.json" -D "$tmp/dcr.h" -w '%{http_code}' -H 'Content-Type: application/json' -H 'Origin: http://localhost:6274' "$reg_url" -d "$1"; }
code="$(dcr '{"client_name":"MCP Inspector","client_uri":"https://github.com/modelcontextprotocol/inspector",
  "redirect_uris":["http://localhost:6274/oauth/callback"],"token_endpoint_auth_method":"none",
  "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
  "scope":"openid mcp:tools mcp:prompts mcp:resources mcp:admin mcp:private offline_access"}')"
dcr_id="$(json d.client_id < "$tmp/dcr.json")"
echo "      $code client_id=$dcr_id scope=[$(json d.scope < "$tmp/dcr.json")]"
check "Inspector/SDK-style registration with MCP scopes: 201" [ "$code" = 201 ]
check "registration answers CORS for the Inspector origin" grep -qi '^access-control-allow-origin: http://localhost:6274' "$tmp/dcr.h"
reg="$(curl -s -H "Authorization: Bearer $admin_token" "$KC_BASE_URL/admin/realms/mcp/clients?clientId=$dcr_id")"
check "registered client: public, PKCE S256, consent, no direct grant" [ "$(json 'd[0].publicClient+" "+d[0].attributes["pkce.code.challenge.method"]+" "+d[0].consentRequired+" "+d[0].directAccessGrantsEnabled' <<<"$reg")" = "true S256 true false" ]
code="$(dcr '{"redirect_uris":["http://127.0.0.1:40000/cb"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","password"],"scope":"mcp:tools"}')"
check "registration asking for the password grant gets it stripped" [ "$code $(json 'd.grant_types.join(" ")' < "$tmp/dcr.json")" = "201 authorization_code" ]
check "registration asking for a non-MCP scope (downstream-api): 403" [ "$(dcr '{"redirect_uris":["http://localhost:6274/oauth/callback"],"token_endpoint_auth_method":"none","scope":"mcp:tools downstream-api"}')" = 403 ]

echo "== introspection and RFC 8693 token exchange (mcp-server)"
subject="$(json d.access_token < "$tmp/alice.json")"
r="$(curl -s -u "mcp-server:$MCP_SERVER_CLIENT_SECRET" --data-urlencode "token=$subject" "$token_url/introspect")"
check "introspection by mcp-server: active, username alice" [ "$(json 'd.active+" "+d.username' <<<"$r")" = "true alice" ]
r="$(curl -s -u "mcp-server:$MCP_SERVER_CLIENT_SECRET" -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
  --data-urlencode "subject_token=$subject" -d subject_token_type=urn:ietf:params:oauth:token-type:access_token \
  -d requested_token_type=urn:ietf:params:oauth:token-type:access_token -d audience=downstream-api "$token_url")"
c="$(claims <<<"$r")"
echo "      exchanged: aud=$(json d.aud <<<"$c") azp=$(json d.azp <<<"$c") issued_token_type=$(json d.issued_token_type <<<"$r")"
check "exchanged token: aud downstream-api, azp mcp-server, same sub" [ "$(json '[].concat(d.aud).join(" ")+" "+d.azp+" "+d.sub' <<<"$c")" = "downstream-api mcp-server $(json d.sub < <(claims < "$tmp/alice.json"))" ]
r="$(curl -s -u "mcp-m2m:$MCP_M2M_CLIENT_SECRET" -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
  --data-urlencode "subject_token=$subject" -d subject_token_type=urn:ietf:params:oauth:token-type:access_token -d audience=downstream-api "$token_url")"
check "token exchange refused to mcp-m2m (not enabled there)" [ -n "$(json d.error <<<"$r")" ]

echo
echo "$pass passed, $fail failed"
(( fail == 0 ))
