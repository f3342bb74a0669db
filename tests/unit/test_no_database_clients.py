"""The gateway and the admin CLI hold no MongoDB client: they ask the collections' owners over
gRPC. Checked on the real import graph: a fresh interpreter imports each of their modules in
turn and reports which one first brought in the driver (pymongo, bson) or services.common.mongo."""
import json
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
FORBIDDEN = ("pymongo", "bson", "services.common.mongo")

PROBE = """
import importlib, json, sys
forbidden = tuple(sys.argv[1].split(","))
found = {}
for name in sys.argv[2:]:
    importlib.import_module(name)
    loaded = sorted(f for f in forbidden if f in sys.modules)
    if loaded and not found:
        found = {"module": name, "loaded": loaded}
print(json.dumps(found))
"""


def modules_of(package: str) -> list[str]:
    root = REPO / package.replace(".", "/")
    return sorted(".".join(path.relative_to(REPO).with_suffix("").parts) for path in root.rglob("*.py")
                  if path.name != "__main__.py")


def first_import_of_a_database_client(modules: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, ",".join(FORBIDDEN), *modules], cwd=REPO,
                         capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": f"{REPO / 'gen'}:{REPO}", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_probe_sees_a_module_that_holds_a_client():
    found = first_import_of_a_database_client(["services.common.ids", "services.scheduler.tenancy"])
    assert found["module"] == "services.scheduler.tenancy"
    assert found["loaded"] == ["bson", "pymongo", "services.common.mongo"]


def test_no_gateway_module_imports_a_database_client():
    modules = modules_of("services.gateway")
    assert "services.gateway.server" in modules and "services.gateway.auth" in modules
    assert first_import_of_a_database_client(modules) == {}


def test_no_admin_module_imports_a_database_client():
    modules = modules_of("services.admin")
    assert "services.admin.cli" in modules and "services.admin.rekey" in modules
    assert first_import_of_a_database_client(modules) == {}
