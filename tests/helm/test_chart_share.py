"""The chart's share-link settings: the signing key reaches the gateway only, from the chart's
Secret or the operator's; the viewer's event stream has Envoy's no-timeout route."""
import yaml

from tests.helm.test_chart import VALUE_SETS, container, deployments, env_of, envoy_config, of_kind, pytestmark, render

__all__ = ["pytestmark"]  # skipped where helm is not installed, as test_chart.py


def test_the_share_key_is_kept_in_the_chart_secret_and_read_by_the_gateway_only():
    docs = render()
    (secret,) = of_kind(docs, "Secret").values()
    assert len(secret["data"]["share-secret"]) >= 64  # base64 of 48 random characters
    for name, deployment in deployments(docs).items():
        env = env_of(container(deployment, name))
        if name == "gateway":
            ref = env["STABLEBROWSE_SHARE_SECRET"]["valueFrom"]["secretKeyRef"]
            assert ref == {"name": secret["metadata"]["name"], "key": "share-secret"}
            assert env["STABLEBROWSE_PUBLIC_URL"]["value"] == ""
        else:
            assert "STABLEBROWSE_SHARE_SECRET" not in env, name


def test_an_operators_secret_and_public_url_replace_the_defaults():
    gateway = env_of(container(deployments(render(*VALUE_SETS["ha"]))["gateway"], "gateway"))
    assert gateway["STABLEBROWSE_SHARE_SECRET"]["valueFrom"]["secretKeyRef"] == {"name": "stablebrowse-share", "key": "key"}
    assert gateway["STABLEBROWSE_PUBLIC_URL"]["value"] == "https://api.example.com"


def test_the_shared_event_stream_has_no_route_timeout():
    config = yaml.safe_load(envoy_config(render()))
    (manager,) = [f for listener in config["static_resources"]["listeners"] for chain in listener["filter_chains"]
                  for f in chain["filters"]]
    (host,) = manager["typed_config"]["route_config"]["virtual_hosts"]
    streams = {r["match"]["safe_regex"]["regex"]: r["route"] for r in host["routes"] if "safe_regex" in r["match"]}
    assert streams["/share/[^/]+/events"]["timeout"] == "0s"
    transcoder = next(f for f in manager["typed_config"]["http_filters"] if f["name"].endswith("grpc_json_transcoder"))
    assert "stablebrowse.share.v1.ShareService" in transcoder["typed_config"]["services"]
