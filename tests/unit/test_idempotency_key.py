"""The gateway's half of Idempotency-Key: the header's rules and the request hash."""
import json

import pytest
from google.protobuf import struct_pb2

from services.common.errors import InvalidArgument
from services.gateway import idempotency
from stablebrowse.scheduler.v1 import scheduler_pb2


def submit(**fields) -> scheduler_pb2.SubmitTaskRequest:
    return scheduler_pb2.SubmitTaskRequest(**{"business_id": "biz_1", "end_user_id": "alice", "task": "t",
                                              "max_steps": 25, **fields})


def schema(text: str) -> struct_pb2.Struct:
    value = struct_pb2.Struct()
    value.update(json.loads(text))
    return value


@pytest.mark.parametrize("key", ["a", "k" * 255, "order 42/retry:1 ~!", "550e8400-e29b-41d4-a716-446655440000"])
def test_a_key_of_printable_ascii_up_to_255_characters_is_taken_as_sent(key):
    assert idempotency.read_key([("authorization", "Bearer x"), ("idempotency-key", key)]) == key


def test_no_header_is_no_key():
    assert idempotency.read_key([("authorization", "Bearer x")]) == ""


@pytest.mark.parametrize("values", [[""], ["k" * 256], ["tab\there"], ["caf\u00e9"], ["nul\x00"], ["a", "b"]])
def test_other_keys_are_refused_naming_the_header(values):
    with pytest.raises(InvalidArgument, match="^Idempotency-Key: "):
        idempotency.read_key([("idempotency-key", value) for value in values])


def test_the_hash_ignores_key_order_and_integral_floats_in_a_schema():
    one = submit(schema=schema('{"type": "object", "properties": {"a": {"maxLength": 2}}}'))
    other = submit(schema=schema('{"properties": {"a": {"maxLength": 2.0}}, "type": "object"}'))
    assert idempotency.request_hash(one) == idempotency.request_hash(other)


@pytest.mark.parametrize("change", [
    {"task": "t2"}, {"end_user_id": "bob"}, {"business_id": "biz_2"}, {"start_url": "https://a.example/"},
    {"max_steps": 3}, {"include_html_dump": True}, {"session_id": "s1"}, {"schema": schema('{"type": "string"}')},
])
def test_the_hash_changes_with_every_field(change):
    assert idempotency.request_hash(submit(**change)) != idempotency.request_hash(submit())


def test_with_key_sets_the_key_and_the_hash_of_the_request_without_them():
    keyed = idempotency.with_key(submit(), "k1")
    assert keyed.idempotency_key == "k1" and keyed.request_hash == idempotency.request_hash(submit())
    assert idempotency.with_key(submit(), "") == submit()
