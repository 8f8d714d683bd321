{{/* The generated function list and routes (functions.yaml, written by `make manifests`). */}}
{{- define "shopfn.generated" -}}
{{- $gen := .Files.Get "functions.yaml" | fromYaml -}}
{{- if not (hasKey $gen "functions") -}}
{{- fail "functions.yaml is missing or unreadable: run `make manifests`" -}}
{{- end -}}
{{- toYaml $gen -}}
{{- end -}}

{{/* Metadata shared by every namespaced object: name, namespace, part-of label. */}}
{{- define "shopfn.meta" -}}
name: {{ .name }}
namespace: {{ .namespace }}
labels:
  app.kubernetes.io/part-of: shopfn
{{- range $k, $v := .labels }}
  {{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* A reference to a Knative Service (subscriber, sink, dead-letter sink). */}}
{{- define "shopfn.ksvcRef" -}}
ref:
  apiVersion: serving.knative.dev/v1
  kind: Service
  name: {{ .name }}
  namespace: {{ .namespace }}
{{- end -}}

{{/* A function's scale after the warm paths and per-function overrides are applied. */}}
{{- define "shopfn.scale" -}}
{{- $f := .function -}}
{{- $v := .values -}}
{{- $scale := deepCopy $f.scale -}}
{{- if eq $f.kind "http" -}}
{{- range $hot := $v.warm.paths -}}
{{- $hit := false -}}
{{- if $hot.path -}}
{{- $hit = eq $f.path $hot.path -}}
{{- else if $hot.prefix -}}
{{- $hit = or (eq $f.path $hot.prefix) (hasPrefix (printf "%s/" $hot.prefix) $f.path) -}}
{{- end -}}
{{- if and $hit (or (not $hot.method) (eq $hot.method $f.method)) -}}
{{- $_ := set $scale "min" (max (int $scale.min) (int $v.warm.minScale)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $override := get $v.overrides $f.name | default dict -}}
{{- toYaml (merge (deepCopy $override) $scale) -}}
{{- end -}}
