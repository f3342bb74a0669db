import datetime

from google.protobuf import json_format

from services.common import ids, records

NOW = datetime.datetime(2026, 4, 21, 4, 55, 34, tzinfo=datetime.UTC)


def doc(**extra):
    return {"_id": "t1", "session_id": "s1", "end_user_id": "alice", "status": "pending", "task": "q",
            "created_at": NOW, "updated_at": NOW, "max_steps": 25, **extra}


def test_pending_record_invents_nothing():
    body = json_format.MessageToDict(records.task_record(doc()))
    assert body == {"taskId": "t1", "sessionId": "s1", "endUserId": "alice", "status": "pending", "task": "q",
                    "createdAt": "2026-04-21T04:55:34Z", "updatedAt": "2026-04-21T04:55:34Z", "maxSteps": 25}


def test_completed_record_uses_the_contract_names():
    body = json_format.MessageToDict(records.task_record(doc(
        status="completed", result="r", structured_content_json='{"a": [1, "b"]}', html_dump="<html>",
        total_steps=3, duration_ms=8420, visited_urls=["u"], step_summaries=[{"n": 1, "type": "discovery", "msg": "m", "success": True}],
        usage={"llm_calls": 2, "prompt_tokens": 10, "completion_tokens": 5},
    )))
    assert body["structured_content"] == {"a": [1, "b"]}
    assert body["html_dump"] == "<html>"
    # A step stored without has_screenshot (before screenshots existed) says it has none.
    assert body["stepSummaries"] == [{"n": 1, "type": "discovery", "msg": "m", "success": True, "hasScreenshot": False}]
    assert body["totalSteps"] == 3 and body["durationMs"] == 8420 and body["visitedUrls"] == ["u"]
    assert body["usage"] == {"llmCalls": 2, "promptTokens": 10, "completionTokens": 5}


def test_a_stored_step_time_is_the_steps_at():
    # As PyMongo hands it back: naive, in UTC, to the millisecond.
    stored = datetime.datetime(2026, 4, 21, 4, 55, 36, 250000)
    body = json_format.MessageToDict(records.task_record(doc(
        status="running", step_summaries=[{"n": 1, "type": "navigation", "msg": "m", "success": True, "at": stored}])))
    assert body["stepSummaries"][0]["at"] == "2026-04-21T04:55:36.250Z"


def test_keys_are_hashed_and_ids_unguessable():
    key = ids.new_api_key()
    assert key.startswith("sb_") and len(key) > 40
    assert ids.hash_api_key(key) != key and len(ids.hash_api_key(key)) == 64
    assert len({ids.new_id() for _ in range(1000)}) == 1000
