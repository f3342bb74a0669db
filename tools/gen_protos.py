"""Compile protos/ into the importable package under gen/ and Envoy's descriptor set,
and, when .tools/bin/protoc-gen-openapiv2 is installed (tools/install-openapi.sh), the
public API's OpenAPI (Swagger 2.0) document gen/openapi.json, which Envoy serves.

Generated code is never edited by hand: `make protos` reruns this script.
"""
import json
import pathlib
import shutil
import sys
import tempfile

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
OUT = ROOT / "gen"
DESCRIPTOR = OUT / "stablebrowse.pb"
OPENAPI = OUT / "openapi.json"
OPENAPI_PLUGIN = ROOT / ".tools" / "bin" / "protoc-gen-openapiv2"
PUBLIC_API = ["stablebrowse/tasks/v1/tasks.proto", "stablebrowse/credentials/v1/credentials.proto",
              "stablebrowse/webhooks/v1/webhooks.proto"]


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
    if not OPENAPI_PLUGIN.exists():
        print(f"[protos] {OPENAPI_PLUGIN.relative_to(ROOT)} missing (tools/install-openapi.sh): no {OPENAPI.relative_to(ROOT)}",
              file=sys.stderr)
        return 0
    return generate_openapi(includes)


def generate_openapi(includes: list[str]) -> int:
    """gen/openapi.json from the public API's google.api.http annotations (REST/JSON names)."""
    options = ",".join([
        "json_names_for_fields=true", "allow_merge=true", "merge_file_name=openapi", "output_format=json",
        "disable_default_errors=true", "preserve_rpc_order=true", "ignore_go_package_option=true",
    ])
    with tempfile.TemporaryDirectory() as tmp:
        rc = protoc.main([
            "protoc", *includes, f"--plugin=protoc-gen-openapiv2={OPENAPI_PLUGIN}",
            f"--openapiv2_out={tmp}", f"--openapiv2_opt={options}", *PUBLIC_API,
        ])
        if rc != 0:
            print(f"protoc-gen-openapiv2 failed with exit code {rc}", file=sys.stderr)
            return rc
        doc = json.loads((pathlib.Path(tmp) / "openapi.swagger.json").read_text())
    OPENAPI.write_text(json.dumps(complete_openapi(doc), indent=2) + "\n")
    print(f"[protos] {', '.join(PUBLIC_API)} -> {OPENAPI.relative_to(ROOT)}", file=sys.stderr)
    return 0


def complete_openapi(doc: dict) -> dict:
    """What the generator cannot express from the proto: the title, the Bearer key, 201 for a
    created task, and the two error bodies (gRPC status via the transcoder; Envoy's own replies)."""
    doc["info"] = {"title": "stablebrowse task API", "version": "v1",
                   "description": f"Natural-language browser tasks. Generated from {' and '.join(PUBLIC_API)}."}
    doc["securityDefinitions"] = {"bearer": {
        "type": "apiKey", "in": "header", "name": "Authorization", "description": "`Bearer <API key>`"}}
    doc["security"] = [{"bearer": []}]
    rpc_status = {  # the transcoder's JSON of google.rpc.Status (convert_grpc_status)
        "code": {"type": "integer", "format": "int32", "description": "google.rpc.Code"},
        "message": {"type": "string"},
        "details": {"type": "array", "items": {"$ref": "#/definitions/protobufAny"}},
    }
    local_reply = {  # Envoy's local_reply_config body
        "status": {"type": "integer", "description": "the HTTP status"},
        "message": {"type": "string"},
    }
    doc["definitions"].update({
        "protobufAny": {"type": "object", "properties": {"@type": {"type": "string"}}, "additionalProperties": {}},
        "rpcStatus": {"type": "object", "required": ["code", "message"], "properties": rpc_status},
        "envoyLocalReply": {"type": "object", "required": ["status", "message"], "properties": local_reply},
        "Error": {
            "type": "object", "required": ["message"], "properties": {**rpc_status, **local_reply},
            "description": "An rpcStatus (the service's errors: code, message, details) or an envoyLocalReply "
                           "(the proxy's own: unknown route, unparsable JSON, body too large, no upstream).",
            "x-oneOf": [{"$ref": "#/definitions/rpcStatus"}, {"$ref": "#/definitions/envoyLocalReply"}],
        },
    })
    errors = {"400": "Invalid request: the message names the field.", "401": "Missing or unknown API key.",
              "403": "Revoked API key.", "503": "A dependency is unavailable; nothing was changed, retry later."}
    extra = {("post", "/v1/tasks"): {"413": "Request body over 1 MiB.",
                                     "429": "Over a quota (details: QuotaFailure, RetryInfo; Retry-After header)."},
             ("get", "/v1/tasks/{taskId}"): {"404": "No such task for this business."},
             ("post", "/v1/tasks/{taskId}/share"): {
                 "404": "No such task for this business.",
                 "503": "Share links are not configured (STABLEBROWSE_SHARE_SECRET), or a dependency is unavailable."},
             ("delete", "/v1/end-users/{endUserId}/credentials/{domain}"): {
                 "404": "No credential for this end user and domain in this business."},
             ("get", "/v1/tasks/{taskId}/steps/{n}/screenshot"): {
                 "404": "No such task for this business, or that step has no screenshot (the message names the step)."},
             ("get", "/v1/webhook"): {"404": "No webhook configured for this business."},
             ("delete", "/v1/webhook"): {"404": "No webhook configured for this business."}}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if (method, path) == ("post", "/v1/tasks/{taskId}/share"):  # the body may be left out
                responses["200"]["description"] = "The viewer's URL and when it stops working."
                for parameter in operation["parameters"]:
                    parameter["required"] = parameter["in"] != "body"
            if (method, path) == ("post", "/v1/tasks"):
                responses["201"] = {**responses.pop("200"), "description": "Accepted: stored and queued."}
            if path.endswith("/screenshot"):  # an HttpBody: the JPEG itself, not JSON
                operation["produces"] = ["image/jpeg"]
                responses["200"] = {"description": "The step's JPEG.", "schema": {"type": "file"}}
            for code, text in sorted({**errors, **extra.get((method, path), {})}.items()):
                responses[code] = {"description": text, "schema": {"$ref": "#/definitions/Error"}}
            responses["default"] = {"description": "Any other error.", "schema": {"$ref": "#/definitions/Error"}}
    return doc


if __name__ == "__main__":
    sys.exit(main())
