{{/* Names ---------------------------------------------------------------- */}}

{{- define "stablebrowse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stablebrowse.fullname" -}}
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

{{/* Name of one service's objects: (dict "root" $ "component" "gateway") */}}
{{- define "stablebrowse.componentName" -}}
{{- printf "%s-%s" (include "stablebrowse.fullname" .root | trunc 50 | trimSuffix "-") .component }}
{{- end }}

{{- define "stablebrowse.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stablebrowse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stablebrowse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels: (dict "root" $ "component" "gateway") */}}
{{- define "stablebrowse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stablebrowse.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "stablebrowse.labels" -}}
helm.sh/chart: {{ include "stablebrowse.chart" .root }}
{{ include "stablebrowse.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: stablebrowse
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* Labels of chart-wide objects (Secret, ServiceAccount, ConfigMap). */}}
{{- define "stablebrowse.commonLabels" -}}
helm.sh/chart: {{ include "stablebrowse.chart" . }}
app.kubernetes.io/name: {{ include "stablebrowse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: stablebrowse
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Images and secrets ----------------------------------------------------- */}}

{{- define "stablebrowse.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "stablebrowse.mongodbSecretName" -}}
{{- default (include "stablebrowse.fullname" .) .Values.mongodb.existingSecret }}
{{- end }}

{{- define "stablebrowse.mongodbSecretKey" -}}
{{- if .Values.mongodb.existingSecret }}{{ .Values.mongodb.existingSecretKey }}{{ else }}mongodb-uri{{ end }}
{{- end }}

{{- define "stablebrowse.llmSecretName" -}}
{{- default (include "stablebrowse.fullname" .) .Values.llm.existingSecret }}
{{- end }}

{{- define "stablebrowse.llmSecretKey" -}}
{{- if .Values.llm.existingSecret }}{{ .Values.llm.existingSecretKey }}{{ else }}llm-api-key{{ end }}
{{- end }}

{{/* True (non-empty) when the chart must create its own Secret. */}}
{{- define "stablebrowse.createSecret" -}}
{{- if or (not .Values.mongodb.existingSecret) (not .Values.llm.existingSecret) (and .Values.vault.secretKey (not .Values.vault.existingSecret)) (not .Values.internalAuth.existingSecret) (not .Values.share.existingSecret) }}true{{ end }}
{{- end }}

{{/* Envoy config: files/envoy.yaml (shared with the local stack) with its
     ${...} placeholders filled in for the sidecar. */}}
{{- define "stablebrowse.envoyConfig" -}}
{{- $config := .Files.Get "files/envoy.yaml" }}
{{- if not $config }}
{{- fail "files/envoy.yaml is missing from the chart" }}
{{- end }}
{{- $config = $config
    | replace "${HTTP_PORT}" (toString .Values.envoy.httpPort)
    | replace "${ADMIN_PORT}" (toString .Values.envoy.adminPort)
    | replace "${GATEWAY_ADDRESS}" "127.0.0.1"
    | replace "${GATEWAY_PORT}" (toString .Values.gateway.port)
    | replace "${DESCRIPTOR_PATH}" (include "stablebrowse.descriptorPath" .)
    | replace "${OPENAPI_PATH}" (include "stablebrowse.openapiPath" .) }}
{{- with regexFind `\$\{?[A-Za-z_][A-Za-z0-9_]*\}?` (regexReplaceAll `(?m)#.*$` $config "") }}
{{- fail (printf "files/envoy.yaml has a placeholder the chart does not fill in: %s" .) }}
{{- end }}
{{- $config }}
{{- end }}

{{- define "stablebrowse.envoyConfigDir" -}}/etc/envoy/config{{- end }}
{{- define "stablebrowse.descriptorDir" -}}/etc/envoy/descriptor{{- end }}
{{- define "stablebrowse.descriptorPath" -}}{{ include "stablebrowse.descriptorDir" . }}/stablebrowse.pb{{- end }}
{{- define "stablebrowse.openapiPath" -}}{{ include "stablebrowse.descriptorDir" . }}/openapi.json{{- end }}

{{/* Pod and container pieces ----------------------------------------------- */}}

{{/* Pod-level spec shared by every Deployment: (dict "root" $ "svc" .Values.gateway) */}}
{{- define "stablebrowse.podCommon" -}}
{{- $root := .root -}}
serviceAccountName: {{ include "stablebrowse.serviceAccountName" $root }}
automountServiceAccountToken: false
# Service links would inject STABLEBROWSE_<SVC>_PORT=tcp://... and clash with settings.
enableServiceLinks: false
terminationGracePeriodSeconds: {{ .svc.terminationGracePeriodSeconds }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Pod annotations, as YAML or empty: (dict "root" $ "svc" .Values.gateway "extra" (dict ...)).
     checksum/secret rolls the pods when the chart's Secret changes. */}}
{{- define "stablebrowse.podAnnotations" -}}
{{- $scrape := dict }}
{{- with .root.Values.metrics }}{{ if and .enabled .podAnnotations }}
{{- $scrape = dict "prometheus.io/scrape" "true" "prometheus.io/port" (toString .port) "prometheus.io/path" "/metrics" }}
{{- end }}{{ end }}
{{- $out := merge (dict) (.extra | default dict) (.svc.podAnnotations | default dict) $scrape }}
{{- if include "stablebrowse.createSecret" .root }}
{{- $_ := set $out "checksum/secret" (include (print .root.Template.BasePath "/secret.yaml") .root | sha256sum) }}
{{- end }}
{{- if $out }}{{ toYaml $out }}{{ end }}
{{- end }}

{{- define "stablebrowse.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}

{{/* Native gRPC health probes (grpc.health.v1) on the service port: (dict "port" 50051) */}}
{{- define "stablebrowse.grpcProbes" -}}
readinessProbe:
  grpc:
    port: {{ .port }}
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 3
livenessProbe:
  grpc:
    port: {{ .port }}
  initialDelaySeconds: 10
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 6
{{- end }}

{{/* The same probes through an HTTP path: (dict "port" 8080 "path" "/healthz") */}}
{{- define "stablebrowse.httpProbes" -}}
readinessProbe:
  httpGet:
    port: {{ .port }}
    path: {{ .path }}
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 3
livenessProbe:
  httpGet:
    port: {{ .port }}
    path: {{ .path }}
  initialDelaySeconds: 10
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 6
{{- end }}

{{/* Environment every service reads. */}}
{{- define "stablebrowse.commonEnv" -}}
- name: STABLEBROWSE_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- if .Values.metrics.enabled }}
- name: STABLEBROWSE_METRICS_PORT
  value: {{ .Values.metrics.port | quote }}
{{- end }}
- name: STABLEBROWSE_MONGODB_DATABASE
  value: {{ .Values.mongodb.database | quote }}
{{ include "stablebrowse.internalAuthEnv" . }}
{{- end }}

{{/* The services' shared token for internal gRPC (services/common/internal_auth.py). */}}
{{- define "stablebrowse.internalAuthEnv" -}}
{{- $a := .Values.internalAuth -}}
- name: STABLEBROWSE_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ default (include "stablebrowse.fullname" .) $a.existingSecret | quote }}
      key: {{ ternary $a.existingSecretKey "internal-token" (ne $a.existingSecret "") | quote }}
{{- end }}

{{/* The internal token kept in the chart's Secret: the one already installed (so upgrades
     keep it), else a new random one. */}}
{{- define "stablebrowse.internalToken" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "stablebrowse.fullname" .) }}
{{- if and $existing (index ($existing.data | default dict) "internal-token") }}
{{- index $existing.data "internal-token" | b64dec }}
{{- else }}
{{- randAlphaNum 48 }}
{{- end }}
{{- end }}

{{/* A random value kept in the chart's Secret under .key: the one already installed (so
     upgrades keep it), else a new one. */}}
{{- define "stablebrowse.keptRandom" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (include "stablebrowse.fullname" .root) }}
{{- if and $existing (index ($existing.data | default dict) .key) }}
{{- index $existing.data .key | b64dec }}
{{- else }}
{{- randAlphaNum 48 }}
{{- end }}
{{- end }}

{{/* Share links (gateway only): their signing key and the public address they start with. */}}
{{- define "stablebrowse.shareEnv" -}}
{{- $s := .Values.share -}}
- name: STABLEBROWSE_SHARE_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ default (include "stablebrowse.fullname" .) $s.existingSecret | quote }}
      key: {{ ternary $s.existingSecretKey "share-secret" (ne $s.existingSecret "") | quote }}
- name: STABLEBROWSE_PUBLIC_URL
  value: {{ $s.publicUrl | quote }}
{{- end }}

{{- define "stablebrowse.mongodbEnv" -}}
- name: MONGODB_URI
  valueFrom:
    secretKeyRef:
      name: {{ include "stablebrowse.mongodbSecretName" . }}
      key: {{ include "stablebrowse.mongodbSecretKey" . }}
{{- end }}

{{/* The vault keys (gateway seals, browser workers open); nothing when no key is configured. */}}
{{- define "stablebrowse.vaultEnv" -}}
{{- $v := .Values.vault }}
{{- if $v.existingSecret }}
- name: STABLEBROWSE_SECRET_KEY
  valueFrom:
    secretKeyRef: { name: {{ $v.existingSecret | quote }}, key: {{ $v.existingSecretKey | quote }} }
- name: STABLEBROWSE_SECRET_KEY_PREVIOUS
  valueFrom:
    secretKeyRef: { name: {{ $v.existingSecret | quote }}, key: {{ $v.existingPreviousSecretKey | quote }}, optional: true }
{{- else if $v.secretKey }}
- name: STABLEBROWSE_SECRET_KEY
  valueFrom:
    secretKeyRef: { name: {{ include "stablebrowse.fullname" . | quote }}, key: vault-secret-key }
{{- if $v.previousSecretKey }}
- name: STABLEBROWSE_SECRET_KEY_PREVIOUS
  valueFrom:
    secretKeyRef: { name: {{ include "stablebrowse.fullname" . | quote }}, key: vault-secret-key-previous }
{{- end }}
{{- end }}
{{- end }}

{{- define "stablebrowse.kafkaEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
{{- end }}

{{/* host:port of a service inside the namespace: (dict "root" $ "component" "scheduler") */}}
{{- define "stablebrowse.target" -}}
{{- $svc := index .root.Values .component }}
{{- printf "%s:%d" (include "stablebrowse.componentName" .) (int $svc.port) }}
{{- end }}

{{/* Writable /tmp for a read-only root filesystem: (dict "sizeLimit" "64Mi") */}}
{{- define "stablebrowse.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .sizeLimit }}
{{- end }}

{{/* PodDisruptionBudget of one service: (dict "root" $ "component" "gateway") */}}
{{- define "stablebrowse.pdb" -}}
{{- if .root.Values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "stablebrowse.componentName" . }}
  labels:
    {{- include "stablebrowse.labels" . | nindent 4 }}
spec:
  {{- with .root.Values.podDisruptionBudget }}
  {{- if hasKey . "minAvailable" }}
  minAvailable: {{ .minAvailable }}
  {{- else }}
  maxUnavailable: {{ .maxUnavailable }}
  {{- end }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "stablebrowse.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* NetworkPolicy egress rules (templates/networkpolicy.yaml) -------------------- */}}

{{- define "stablebrowse.np.dns" -}}
- ports:
    {{- range .dns.ports }}
    - { port: {{ . }}, protocol: UDP }
    - { port: {{ . }}, protocol: TCP }
    {{- end }}
  {{- with .dns.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* A dependency outside the chart: (dict "ports" (list 9092) "to" peers); no peers: any destination. */}}
{{- define "stablebrowse.np.external" -}}
- ports:
    {{- range .ports }}
    - { port: {{ . }}, protocol: TCP }
    {{- end }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Another component's gRPC port: (dict "root" $ "component" "scheduler") */}}
{{- define "stablebrowse.np.toComponent" -}}
- ports:
    - { port: {{ (index .root.Values .component).port }}, protocol: TCP }
  to:
    - podSelector:
        matchLabels:
          {{- include "stablebrowse.selectorLabels" . | nindent 10 }}
{{- end }}

{{/* The public internet: every address but the private ranges. */}}
{{- define "stablebrowse.np.internet" -}}
- to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except: {{ toJson .privateCIDRs.ipv4 }}
    - ipBlock:
        cidr: "::/0"
        except: {{ toJson .privateCIDRs.ipv6 }}
{{- end }}

{{/* "true" when an HPA or KEDA sets the replica count: (dict "root" $ "component" "browser") */}}
{{- define "stablebrowse.autoscaled" -}}
{{- $a := index .root.Values.autoscaling .component | default dict }}
{{- if $a.enabled }}true{{ end }}
{{- end }}
