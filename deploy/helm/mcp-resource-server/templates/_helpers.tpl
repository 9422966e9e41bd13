{{/* Names and labels, as `helm create` makes them. */}}
{{- define "mcp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mcp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mcp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mcp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mcp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mcp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mcp.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (toString .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The host name of resourceUri (the public name clients use). */}}
{{- define "mcp.publicHost" -}}
{{- (urlParse .Values.resourceUri).hostname }}
{{- end }}

{{/* MCP_ALLOWED_HOSTS: the values, or the public host and the Service's cluster names. */}}
{{- define "mcp.allowedHosts" -}}
{{- if .Values.allowedHosts }}
{{- join "," .Values.allowedHosts }}
{{- else }}
{{- $svc := include "mcp.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- list (include "mcp.publicHost" .) $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | uniq | join "," }}
{{- end }}
{{- end }}

{{/* The Secret the secret env vars come from: the user's, or the chart's when it has values. */}}
{{- define "mcp.secretName" -}}
{{- default (printf "%s-secrets" (include "mcp.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{- define "mcp.createSecret" -}}
{{- $s := .Values.secrets }}
{{- if and (not $s.existingSecret) (or $s.stateSecret $s.introspectionClientSecret $s.tokenExchangeClientSecret) }}true{{ end }}
{{- end }}

{{/*
Settings that would start pods that cannot work: fail the render with the fix instead.
*/}}
{{- define "mcp.validate" -}}
{{- $s := .Values.secrets }}
{{- $multi := or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- if and $multi (not $s.existingSecret) (not $s.stateSecret) }}
{{- fail "More than one replica needs the same MCP_STATE_SECRET on each (pagination cursors and MRTR requestState are signed with it): set secrets.existingSecret or secrets.stateSecret." }}
{{- end }}
{{- if and (ne .Values.auth.tokenMode "jwt") (not $s.existingSecret) (not $s.introspectionClientSecret) }}
{{- fail (printf "auth.tokenMode=%s needs MCP_INTROSPECTION_CLIENT_SECRET: set secrets.existingSecret or secrets.introspectionClientSecret." .Values.auth.tokenMode) }}
{{- end }}
{{- if and $s.existingSecret (or $s.stateSecret $s.introspectionClientSecret $s.tokenExchangeClientSecret) }}
{{- fail "Set secrets.existingSecret or the secret values, not both (the chart's Secret is only made without an existing one)." }}
{{- end }}
{{- if and $multi (eq .Values.sessions "sessions") (not .Values.redis.url) (not .Values.redis.existingSecret) }}
{{- fail "sessions: sessions with more than one replica needs Redis (redis.url or redis.existingSecret): every replica must find every session, or clients get 404 half the time." }}
{{- end }}
{{- if and .Values.redis.url .Values.redis.existingSecret }}
{{- fail "Set redis.url or redis.existingSecret, not both." }}
{{- end }}
{{- if lt (int .Values.shutdown.terminationGracePeriodSeconds) (add (int .Values.shutdown.preStopSleepSeconds) 10 | int) }}
{{- fail "shutdown.terminationGracePeriodSeconds must be at least preStopSleepSeconds + 10: the server drains calls in flight for up to 8 s and exits by 9.5 s after SIGTERM." }}
{{- end }}
{{- end }}
