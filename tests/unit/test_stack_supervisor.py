"""Which deaths of a stack part count towards stopping the stack."""
from dev.stack.supervisor import is_crash


def test_an_error_exit_soon_after_start_is_a_crash():
    assert is_crash(1, up_seconds=3.0)


def test_an_error_exit_after_a_minute_up_is_forgiven():
    assert not is_crash(1, up_seconds=61.0)


def test_a_part_killed_by_a_signal_is_not_a_crash_however_soon():
    assert not is_crash(-9, up_seconds=1.0)   # SIGKILL: a test or the OOM killer
    assert not is_crash(-15, up_seconds=1.0)  # SIGTERM without a handler


def test_a_clean_exit_is_not_a_crash():
    assert not is_crash(0, up_seconds=1.0)  # a drained worker after SIGTERM
