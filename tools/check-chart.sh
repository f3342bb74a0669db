#!/usr/bin/env bash
# Check the Helm chart in deploy/k8s/stablebrowse:
#   1. helm lint --strict, with the default values and with each ci/*-values.yaml set;
#   2. helm template with the same value sets (values.schema.json is enforced here too);
#   3. every rendered document validated against the Kubernetes OpenAPI schemas of
#      $KUBE_VERSION with kubernetes-validate in strict mode (unknown fields fail,
#      and so does a kind it has no schema for, except the custom resources of KEDA and
#      prometheus-operator, whose shape tests/helm/test_chart_operations.py checks).
# Exits non-zero on the first failing step.
#
# Env: KUBE_VERSION (default 1.31.0), PYTHON (default .venv/bin/python, else python3).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$REPO/deploy/k8s/stablebrowse"
HELM="$REPO/.tools/bin/helm"
KUBE_VERSION="${KUBE_VERSION:-1.31.0}"
log() { echo "[check-chart] $*" >&2; }

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$REPO/.venv/bin/python" ]]; then PYTHON="$REPO/.venv/bin/python"; else PYTHON="python3"; fi
fi
if ! "$PYTHON" -c "import kubernetes_validate, yaml" 2>/dev/null; then
  log "ERROR: $PYTHON cannot import kubernetes_validate and yaml (pip install kubernetes-validate PyYAML)"
  exit 1
fi
[[ -x "$HELM" ]] || bash "$REPO/tools/install-helm.sh"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# name=values-file pairs; "default" renders the chart's own values.yaml only.
sets=("default=")
for f in "$CHART"/ci/*-values.yaml; do
  [[ -e "$f" ]] && sets+=("$(basename "$f" -values.yaml)=$f")
done

for entry in "${sets[@]}"; do
  name="${entry%%=*}"
  file="${entry#*=}"
  args=(--kube-version "$KUBE_VERSION")
  [[ -n "$file" ]] && args+=(-f "$file")

  log "helm lint --strict ($name values)"
  "$HELM" lint --strict --quiet "$CHART" "${args[@]}"

  log "helm template ($name values, kube $KUBE_VERSION)"
  "$HELM" template stablebrowse "$CHART" --namespace stablebrowse "${args[@]}" >"$OUT/$name.yaml"
done

log "kubernetes-validate --strict against Kubernetes $KUBE_VERSION"
"$PYTHON" - "$KUBE_VERSION" "$OUT"/*.yaml <<'PY'
import pathlib
import sys

import yaml
from kubernetes_validate import utils

version, files = sys.argv[1], sys.argv[2:]
# Custom resources of operators installed separately (KEDA, prometheus-operator).
CRD_GROUPS = {"keda.sh", "monitoring.coreos.com"}
checked = failed = 0
for path in map(pathlib.Path, files):
    for doc in yaml.safe_load_all(path.read_text()):
        if not doc:
            continue
        what = f"{path.stem}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        if doc.get("apiVersion", "").split("/")[0] in CRD_GROUPS:
            print(f"  crd  {what}: no Kubernetes schema; its shape is checked by tests/helm/test_chart_operations.py")
            continue
        checked += 1
        try:
            utils.validate(doc, version, strict=True)
        except utils.ValidationError as e:
            failed += 1
            where = ".".join(str(p) for p in e.path)
            print(f"  FAIL {what}: {where}: {e.message}")
        except (utils.SchemaNotFoundError, utils.InvalidSchemaError, utils.VersionNotSupportedError) as e:
            failed += 1
            print(f"  FAIL {what}: {e.message}")
        else:
            print(f"  ok   {what}")
print(f"[check-chart] {checked} documents checked, {failed} failed", file=sys.stderr)
if failed or not checked:
    sys.exit(1)
PY
log "chart OK (${#sets[@]} value sets, kube $KUBE_VERSION)"
