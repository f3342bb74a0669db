"""Compile protos/ into the importable package under gen/ and Envoy's descriptor set.

Generated code is never edited by hand: `make protos` reruns this script.
"""
import pathlib
import shutil
import sys

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
OUT = ROOT / "gen"
DESCRIPTOR = OUT / "stablebrowse.pb"


def include_dirs() -> list[str]:
    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    import google.api.annotations_pb2 as annotations  # googleapis-common-protos ships the .proto files

    googleapis = pathlib.Path(annotations.__file__).parent.parent.parent
    return [str(PROTOS), str(well_known), str(googleapis)]


def main() -> int:
    sources = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    includes = [f"-I{d}" for d in include_dirs()]
    args = [
        "protoc", *includes,
        f"--python_out={OUT}", f"--pyi_out={OUT}", f"--grpc_python_out={OUT}",
        f"--descriptor_set_out={DESCRIPTOR}", "--include_imports",
        *sources, "google/rpc/error_details.proto", "google/rpc/status.proto",
    ]
    rc = protoc.main(args)
    if rc != 0:
        print(f"protoc failed with exit code {rc}", file=sys.stderr)
        return rc
    # Generated google/rpc modules come from googleapis-common-protos, not from here.
    shutil.rmtree(OUT / "google", ignore_errors=True)
    print(f"[protos] {len(sources)} files -> {OUT.relative_to(ROOT)}/ and {DESCRIPTOR.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
