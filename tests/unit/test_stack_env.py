"""The local stack's settings (dev/stack/config.py) read from the environment, names unchanged."""
import pathlib

from dev.stack.config import REPLICA_KEPT_FRESH, StackConfig

NAMES = ("STABLEBROWSE_HTTP_PORT", "STABLEBROWSE_MONGO_PORT", "KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI",
         "STABLEBROWSE_LLM_BASE_URL", "STABLEBROWSE_HOST_MAP", "STABLEBROWSE_KEPT_FRESH_PAGES",
         "STABLEBROWSE_SECRET_KEY", "STABLEBROWSE_INTERNAL_TOKEN")


def clean(monkeypatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_ports_and_brought_parts_come_from_their_variables(monkeypatch, tmp_path: pathlib.Path):
    clean(monkeypatch)
    monkeypatch.setenv("STABLEBROWSE_HTTP_PORT", "18080")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.test:9092")
    monkeypatch.setenv("MONGODB_URI", "mongodb://db.test:27017/")
    monkeypatch.setenv("STABLEBROWSE_HOST_MAP", "a.test=127.0.0.1:1")
    monkeypatch.setenv("STABLEBROWSE_INTERNAL_TOKEN", "s3cret-t0ken")
    config = StackConfig.from_env(tmp_path)
    assert (config.http_port, config.mongo_port) == (18080, 27017)
    assert config.kafka_bootstrap == "kafka.test:9092" and config.mongodb_uri == "mongodb://db.test:27017/"
    assert config.llm_base_url == f"http://127.0.0.1:{config.llm_port}/v1"
    env = config.service_env()
    assert env["STABLEBROWSE_HOST_MAP"] == "a.test=127.0.0.1:1"
    assert env["STABLEBROWSE_INTERNAL_TOKEN"] == "s3cret-t0ken"
    assert "s3cret-t0ken" not in repr(config)


def test_empty_variables_are_unset_and_the_stack_starts_its_own(monkeypatch, tmp_path: pathlib.Path):
    clean(monkeypatch)
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI", "STABLEBROWSE_HOST_MAP", "STABLEBROWSE_SECRET_KEY"):
        monkeypatch.setenv(name, "")
    config = StackConfig.from_env(tmp_path)
    assert config.kafka_bootstrap == "127.0.0.1:9092" and config.mongodb_uri == "mongodb://127.0.0.1:27017/"
    env = config.service_env()
    assert env["STABLEBROWSE_HOST_MAP"].startswith("news.ycombinator.com=127.0.0.1:9101,")
    assert env["STABLEBROWSE_KEPT_FRESH_PAGES"] == ",".join(REPLICA_KEPT_FRESH)
    assert env["STABLEBROWSE_SECRET_KEY"] == (tmp_path / "secret.key").read_text().strip()


def test_an_ephemeral_stack_keeps_the_callers_database_but_runs_its_own_kafka(monkeypatch, tmp_path: pathlib.Path):
    clean(monkeypatch)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.test:9092")
    monkeypatch.setenv("MONGODB_URI", "mongodb://db.test:27017/")
    config = StackConfig.ephemeral(tmp_path)
    assert config.kafka_bootstrap == f"127.0.0.1:{config.kafka_port}" and config.kafka_port != 9092
    assert config.mongodb_uri == "mongodb://db.test:27017/"
