"""The failure vocabulary: ErrorCode values and the record's errorCode strings, mapped in one place."""
import re

from services.common.failures import ErrorCode, TaskFailure, code_name, code_of
from services.scheduler.announce import outcome_event
from services.scheduler.tasks import event_update
from stablebrowse.events.v1 import events_pb2

# Written by hand from the README, docs and the integration tests: the errorCode strings
# callers see today. The API contract: none may change.
DOCUMENTED = {
    "cancelled", "timeout", "worker_lost", "internal_error", "max_steps", "budget_exceeded",
    "schema_unsatisfiable", "llm_error", "navigation_error", "blocked_address", "credential_missing",
    "ungrounded",
}
NAMED = [value for value in ErrorCode.values() if value != ErrorCode.ERROR_CODE_UNSPECIFIED]


def test_every_code_has_its_own_snake_case_string():
    strings = [code_name(code) for code in NAMED]
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", s) for s in strings), strings
    assert len(set(strings)) == len(strings)


def test_the_strings_are_exactly_the_documented_ones():
    assert {code_name(code) for code in NAMED} == DOCUMENTED


def test_a_code_maps_to_the_string_the_contract_names():
    assert code_name(ErrorCode.ERROR_CODE_MAX_STEPS) == "max_steps"
    assert code_name(ErrorCode.ERROR_CODE_CREDENTIAL_MISSING) == "credential_missing"


def test_each_string_names_its_code_again():
    assert code_of("max_steps") == ErrorCode.ERROR_CODE_MAX_STEPS
    assert all(code_of(code_name(code)) == code for code in NAMED)
    assert code_of("no_such_code") == ErrorCode.ERROR_CODE_INTERNAL_ERROR


def test_a_failure_naming_no_code_or_an_unknown_one_is_an_internal_error():
    assert code_name(ErrorCode.ERROR_CODE_UNSPECIFIED) == "internal_error"
    assert code_name(999) == "internal_error"  # type: ignore[arg-type]  # a newer worker's code


def test_a_task_failure_becomes_the_records_error_and_error_code():
    failure = TaskFailure(ErrorCode.ERROR_CODE_BUDGET_EXCEEDED, "the task used 12 model tokens")
    assert failure.record_fields() == {"error": "the task used 12 model tokens", "error_code": "budget_exceeded"}


def test_a_failed_event_is_projected_with_the_string_code():
    event = events_pb2.TaskEvent(task_id="t1", worker_id="w1", failed=events_pb2.TaskFailed(
        error="could not open example.invalid", code=ErrorCode.ERROR_CODE_NAVIGATION_ERROR))
    query, update = event_update(event)
    assert query == {"_id": "t1", "status": "running", "worker_id": "w1"}
    assert update["$set"]["status"] == "failed"
    assert update["$set"]["error"] == "could not open example.invalid"
    assert update["$set"]["error_code"] == "navigation_error"


def test_an_outcome_the_scheduler_announces_carries_the_records_code():
    event = outcome_event({"_id": "t1", "status": "failed", "error": "cancelled by the caller", "error_code": "cancelled"})
    assert event.failed.code == ErrorCode.ERROR_CODE_CANCELLED
    assert event.failed.error == "cancelled by the caller"
