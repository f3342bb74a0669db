"""The chart scales itself and survives maintenance: HPAs (or KEDA), PDBs, spread, metrics scraping
and alerts. kubernetes-validate has no schema for KEDA's and prometheus-operator's custom
resources, so their shape is checked here against the fields their CRDs define."""
import jsonschema
import pytest

from tests.helm.test_chart import CHART, HELM, KUBE_VERSION, deployments, helm, of_kind, pod, render

OPERATIONS = ["-f", str(CHART / "ci" / "operations-values.yaml")]
METRICS_PORT = 9464

pytestmark = pytest.mark.skipif(not HELM.exists(), reason="helm not installed (run tools/install-helm.sh)")

STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
DURATION = {"type": "string", "pattern": "^([0-9]+(ms|s|m|h))+$"}
# The fields of keda.sh/v1alpha1 ScaledObject (keda's CRD) this chart uses; trigger metadata is map[string]string.
SCALED_OBJECT = {
    "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {"spec": {
        "type": "object", "required": ["scaleTargetRef", "triggers"], "additionalProperties": False,
        "properties": {
            "scaleTargetRef": {"type": "object", "required": ["name"], "additionalProperties": False,
                               "properties": {"name": {"type": "string"}, "kind": {"type": "string"},
                                              "apiVersion": {"type": "string"}}},
            "minReplicaCount": {"type": "integer", "minimum": 0}, "maxReplicaCount": {"type": "integer", "minimum": 1},
            "pollingInterval": {"type": "integer"}, "cooldownPeriod": {"type": "integer"},
            "triggers": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["type", "metadata"], "additionalProperties": False,
                "properties": {"type": {"type": "string"}, "metadata": STRING_MAP, "name": {"type": "string"}}}},
        }}},
}
SERVICE_MONITOR = {
    "type": "object", "required": ["spec"],
    "properties": {"spec": {
        "type": "object", "required": ["selector", "endpoints"], "additionalProperties": False,
        "properties": {
            "selector": {"type": "object", "required": ["matchLabels"], "properties": {"matchLabels": STRING_MAP}},
            "podTargetLabels": {"type": "array", "items": {"type": "string"}},
            "endpoints": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "required": ["port"],
                "properties": {"port": {"type": "string"}, "path": {"type": "string"}, "interval": DURATION}}},
        }}},
}
PROMETHEUS_RULE = {
    "type": "object", "required": ["spec"],
    "properties": {"spec": {"type": "object", "required": ["groups"], "additionalProperties": False, "properties": {
        "groups": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "rules"], "properties": {"name": {"type": "string"}, "rules": {
                "type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["alert", "expr"], "additionalProperties": False,
                    "properties": {"alert": {"type": "string"}, "expr": {"type": "string"}, "for": DURATION,
                                   "labels": STRING_MAP, "annotations": STRING_MAP}}}}}}}}},
}


def by_component(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in of_kind(docs, kind).values()}


def test_default_values_scale_the_browser_pool_and_gateway_with_bounded_hpas():
    docs = render()
    hpas = by_component(docs, "HorizontalPodAutoscaler")
    assert set(hpas) == {"gateway", "browser"}
    for component, hpa in hpas.items():
        spec = hpa["spec"]
        assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                          "name": deployments(docs)[component]["metadata"]["name"]}
        assert 1 <= spec["minReplicas"] <= spec["maxReplicas"]
        assert "replicas" not in deployments(docs)[component]["spec"]  # the HPA owns the count
    assert hpas["browser"]["spec"]["maxReplicas"] <= 8  # the dispatch topic's partitions
    assert not of_kind(docs, "ScaledObject")
    assert deployments(docs)["scheduler"]["spec"]["replicas"] == 1


def test_external_lag_metric_adds_the_dispatch_lag_to_the_browser_hpa():
    docs = render("--set", "autoscaling.browser.externalLagMetric=true")
    metrics = by_component(docs, "HorizontalPodAutoscaler")["browser"]["spec"]["metrics"]
    (external,) = [m["external"] for m in metrics if m["type"] == "External"]
    assert external["metric"] == {"name": "stablebrowse_dispatch_lag",
                                  "selector": {"matchLabels": {"group": "stablebrowse-browser"}}}


def test_keda_scales_the_browser_pool_on_the_dispatch_topics_lag():
    docs = render(*OPERATIONS)
    (scaled,) = of_kind(docs, "ScaledObject").values()
    jsonschema.validate(scaled, SCALED_OBJECT)
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    assert scaled["spec"]["scaleTargetRef"]["name"] == deployments(docs)["browser"]["metadata"]["name"]
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["topic"] == "stablebrowse.task-dispatch"  # services/common/kafka.py's dispatch topic
    assert trigger["metadata"]["consumerGroup"] == "stablebrowse-browser"  # services/browser/server.py's group
    assert trigger["metadata"]["lagThreshold"] == "3"
    assert (scaled["spec"]["minReplicaCount"], scaled["spec"]["maxReplicaCount"]) == (2, 8)
    assert set(by_component(docs, "HorizontalPodAutoscaler")) == {"gateway"}  # never an HPA beside KEDA


def test_min_above_max_replicas_fails_rendering():
    result = helm("template", "--set", "autoscaling.browser.minReplicas=9")
    assert result.returncode != 0 and "minReplicas (9) is above maxReplicas (8)" in result.stderr


@pytest.mark.parametrize("values", [[], OPERATIONS])
def test_every_deployment_has_a_disruption_budget(values):
    docs = render(*values)
    budgets = by_component(docs, "PodDisruptionBudget")
    for component, deployment in deployments(docs).items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert budgets[component]["spec"]["selector"]["matchLabels"] == selector


def test_browser_pods_spread_over_nodes():
    docs = render()
    browser = deployments(docs)["browser"]
    (spread,) = pod(browser)["topologySpreadConstraints"]
    assert spread["topologyKey"] == "kubernetes.io/hostname"
    labels = browser["spec"]["template"]["metadata"]["labels"]
    assert spread["labelSelector"]["matchLabels"].items() <= labels.items()


def test_every_pod_is_annotated_for_scraping_on_its_metrics_port():
    for values in ([], ["-f", str(CHART / "ci" / "ha-values.yaml")]):
        docs = render(*values)
        for component, deployment in deployments(docs).items():
            annotations = deployment["spec"]["template"]["metadata"]["annotations"]
            env = {e["name"]: e.get("value") for c in pod(deployment)["containers"] for e in c.get("env", [])}
            assert env["STABLEBROWSE_METRICS_PORT"] == str(METRICS_PORT)
            assert annotations["prometheus.io/port"] == str(METRICS_PORT)
            expected = "false" if values and component == "scheduler" else "true"  # ha-values opts the scheduler out
            assert annotations["prometheus.io/scrape"] == expected, component


def test_service_monitor_reads_every_pod_through_a_headless_service():
    docs = render(*OPERATIONS)
    (monitor,) = of_kind(docs, "ServiceMonitor").values()
    jsonschema.validate(monitor, SERVICE_MONITOR)
    assert monitor["metadata"]["labels"]["release"] == "prometheus"
    services = {s["metadata"]["name"]: s for s in of_kind(docs, "Service").values()}
    (service,) = [s for s in services.values()
                  if monitor["spec"]["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()]
    assert service["spec"]["clusterIP"] == "None"
    assert service["spec"]["ports"] == [{"name": "metrics", "port": METRICS_PORT, "targetPort": METRICS_PORT,
                                         "protocol": "TCP"}]
    for deployment in deployments(docs).values():  # browser workers included: they have no Service of their own
        assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()


def test_alerts_cover_lag_error_codes_and_slot_saturation():
    docs = render(*OPERATIONS)
    (rule,) = of_kind(docs, "PrometheusRule").values()
    jsonschema.validate(rule, PROMETHEUS_RULE)
    rules = {r["alert"]: r["expr"] for g in rule["spec"]["groups"] for r in g["rules"]}
    assert "stablebrowse_dispatch_lag" in rules["StablebrowseDispatchLag"]
    assert "error_code" in rules["StablebrowseTaskErrorCodeRate"]
    assert "stablebrowse_browser_slots_in_use" in rules["StablebrowseBrowserSlotsSaturated"]
    assert not of_kind(render(), "PrometheusRule") and not of_kind(render(), "ServiceMonitor")  # off by default


def test_operations_values_validate_against_kubernetes_schema():
    from kubernetes_validate import utils  # noqa: PLC0415 - a dev dependency

    for doc in render(*OPERATIONS):
        if doc["apiVersion"].split("/")[0] in ("keda.sh", "monitoring.coreos.com"):
            continue  # checked above against their CRDs' fields
        utils.validate(doc, KUBE_VERSION, strict=True)


def test_network_policy_admits_scrapers_to_the_metrics_port_only():
    docs = render()
    (policy,) = [p for p in of_kind(docs, "NetworkPolicy").values() if p["metadata"]["name"].endswith("-metrics")]
    assert policy["spec"]["policyTypes"] == ["Ingress"]  # adds an allowance; egress stays as the others say
    (rule,) = policy["spec"]["ingress"]
    assert rule["ports"] == [{"port": METRICS_PORT, "protocol": "TCP"}]
    assert rule["from"] == [{"namespaceSelector": {}}]  # in-cluster only by default
    for deployment in deployments(docs).values():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert policy["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
    assert not [p for p in of_kind(render("--set", "networkPolicy.enabled=false"), "NetworkPolicy")]
