from services.scheduler import sessions


def turn(task, status, result=None, error=None):
    return {"task": task, "status": status, "result": result, "error": error}


def test_first_turn_has_no_context():
    assert sessions.summarize_turns([]) == (None, None)


def test_context_lists_turns_oldest_first_and_error_comes_from_the_last_failed_turn():
    context, error = sessions.summarize_turns(
        [turn("find the top story", "completed", result="Show HN: X"), turn("open it", "failed", error="timeout")]
    )
    assert context.splitlines() == ["Task: find the top story | Result: Show HN: X", "Task: open it | Failed: timeout"]
    assert error == "timeout"


def test_an_earlier_failure_is_not_the_previous_error():
    _, error = sessions.summarize_turns([turn("a", "failed", error="boom"), turn("b", "completed", result="ok")])
    assert error is None


def test_context_is_bounded():
    long = "word " * 5000
    context, _ = sessions.summarize_turns([turn(long, "completed", result=long)] * 5)
    assert len(context) <= sessions.CONTEXT_MAX_CHARS
