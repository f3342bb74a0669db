"""The metrics the dashboard, the alerts and docs/operations.md name are the ones the services
define (services/common/metrics.py), and no metric has a per-tenant or per-task label."""
import json
import pathlib
import re

from prometheus_client import REGISTRY

from services.common import metrics

REPO = pathlib.Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bstablebrowse_[a-z_]+")
UNBOUNDED = {"business", "business_id", "task", "task_id", "session", "session_id", "end_user", "end_user_id",
             "request_id", "worker_id", "url", "host"}


def defined() -> dict[str, set[str]]:
    """Sample names (with _total, _bucket, ...) → label names, from the live registry."""
    names: dict[str, set[str]] = {}
    for family in REGISTRY.collect():
        if family.name.startswith("stablebrowse_"):
            for suffix in ("", "_total", "_bucket", "_sum", "_count", "_created"):
                names[family.name + suffix] = set()
    for metric in vars(metrics).values():
        if hasattr(metric, "_labelnames") and metric._name.startswith("stablebrowse_"):
            names[metric._name] = set(metric._labelnames)
    return names


def test_dashboard_queries_only_defined_metrics():
    dashboard = json.loads((REPO / "deploy/grafana/stablebrowse.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {n for e in exprs for n in NAME.findall(e)}
    assert used and used <= set(defined()), used - set(defined())


def test_alerts_query_only_defined_metrics():
    rule = (REPO / "deploy/k8s/stablebrowse/templates/prometheusrule.yaml").read_text()
    used = set(NAME.findall(rule))
    assert {"stablebrowse_dispatch_lag", "stablebrowse_tasks_total", "stablebrowse_browser_slots_in_use"} <= used
    assert used <= set(defined()), used - set(defined())


def test_operations_doc_lists_every_metric_and_nothing_else():
    table = [line for line in (REPO / "docs/operations.md").read_text().splitlines() if line.startswith("| `stablebrowse_")]
    documented = {NAME.search(line).group(0) for line in table}
    families = {m._name + ("_total" if m._type == "counter" else "") for m in vars(metrics).values()
                if hasattr(m, "_labelnames") and m._name.startswith("stablebrowse_")}
    assert documented == families


def test_no_metric_has_an_unbounded_label():
    for name, labels in defined().items():
        assert not labels & UNBOUNDED, (name, labels & UNBOUNDED)


def test_http_status_mapping_is_envoys_for_the_codes_the_api_uses():
    import grpc

    expected = {grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.UNAUTHENTICATED: 401,
                grpc.StatusCode.PERMISSION_DENIED: 403, grpc.StatusCode.NOT_FOUND: 404,
                grpc.StatusCode.RESOURCE_EXHAUSTED: 429, grpc.StatusCode.UNAVAILABLE: 503,
                grpc.StatusCode.INTERNAL: 500, grpc.StatusCode.OK: 200}
    assert {code: metrics.HTTP_STATUS[code] for code in expected} == expected
