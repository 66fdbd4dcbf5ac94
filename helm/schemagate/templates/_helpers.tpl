{{/*
The release's name with the chart's, unless it holds it already ("schemagate" stays
"schemagate"), cut so that every name below stays a DNS label (63 characters).
*/}}
{{- define "schemagate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The operator's ServiceAccount, Deployment and Lease: schemagate-operator for release schemagate. */}}
{{- define "schemagate.operator" -}}
{{- printf "%s-operator" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.webhookSecret" -}}
{{- printf "%s-operator-webhook-tls" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.webhookService" -}}
{{- printf "%s-operator-webhook" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.webhookConfiguration" -}}
{{- printf "%s-gate" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.certificate" -}}
{{- printf "%s-operator-webhook" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.generatesCertificate" -}}
{{- if eq .Values.webhook.certificates "generate" }}true{{ end -}}
{{- end -}}

{{- define "schemagate.selectorLabels" -}}
app.kubernetes.io/name: schemagate-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "schemagate.labels" -}}
{{ include "schemagate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "schemagate.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
The operator's rules on the resources of the namespaces it watches: the same as the ClusterRole
of operator/deploy/rbac.yaml, where each is explained (and docs/security.md). Bound cluster-wide
when it watches every namespace, in each watched namespace otherwise.
*/}}
{{- define "schemagate.watchedNamespaceRules" -}}
- apiGroups: [schemagate.io]
  resources: [schemamigrations]
  verbs: [list, watch]
- apiGroups: [schemagate.io]
  resources: [schemamigrations/status]
  verbs: [update]
- apiGroups: [schemagate.io]
  resources: [schemamigrations/finalizers]
  verbs: [update]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, get, list, watch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}

{{/* The cluster-scoped rule: the caBundle of the one webhook configuration (generate mode). */}}
{{- define "schemagate.clusterScopedRules" -}}
{{- if include "schemagate.generatesCertificate" . }}
- apiGroups: [admissionregistration.k8s.io]
  resources: [mutatingwebhookconfigurations]
  resourceNames: [{{ include "schemagate.webhookConfiguration" . }}]
  verbs: [get, update]
{{- end }}
{{- end -}}

{{/* The uninstall hook's labels: not the operator's selector, so that its pod is not waited for. */}}
{{- define "schemagate.hookLabels" -}}
app.kubernetes.io/name: schemagate-uninstall
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/*
The uninstall hook's rules where the operator watches: find the Deployments it holds and release
them (a JSON patch guarded by resourceVersion; re-read by a list), with an Event on each.
*/}}
{{- define "schemagate.hookReleaseRules" -}}
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}
