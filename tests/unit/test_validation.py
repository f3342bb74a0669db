import pytest
from google.protobuf import json_format

from services.common.errors import InvalidArgument
from services.gateway.validation import validate_create, validate_require_grounded
from stablebrowse.tasks.v1 import tasks_pb2


def request(**fields):
    return tasks_pb2.CreateTaskRequest(**{"end_user_id": "alice", "task": "t", **fields})


def test_max_steps_defaults_to_25_and_is_clamped():
    assert validate_create(request()) == 25
    assert validate_create(request(max_steps=3)) == 3
    assert validate_create(request(max_steps=1000)) == 25


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"end_user_id": ""}, "endUserId"),
        ({"end_user_id": "x" * 257}, "endUserId"),
        ({"task": " \n\t "}, "task"),
        ({"max_steps": 0}, "maxSteps"),
        ({"max_steps": -4}, "maxSteps"),
    ],
)
def test_errors_name_the_field(fields, field):
    with pytest.raises(InvalidArgument, match=f"^{field}: "):
        validate_create(request(**fields))


def test_256_character_end_user_is_fine():
    assert validate_create(request(end_user_id="x" * 256)) == 25


def from_json(body: dict) -> tasks_pb2.CreateTaskRequest:
    return json_format.ParseDict({"endUserId": "alice", "task": "t", **body}, tasks_pb2.CreateTaskRequest())


@pytest.mark.parametrize("body, wanted", [({}, False), ({"requireGrounded": None}, False),
                                          ({"requireGrounded": False}, False), ({"requireGrounded": True}, True)])
def test_require_grounded_is_a_boolean_defaulting_to_false(body, wanted):
    assert validate_require_grounded(from_json(body)) is wanted


@pytest.mark.parametrize("value", ["true", 1, 0, [True], {"on": True}])
def test_require_grounded_of_another_type_names_the_field(value):
    with pytest.raises(InvalidArgument, match="^requireGrounded: must be true or false$"):
        validate_require_grounded(from_json({"requireGrounded": value}))
