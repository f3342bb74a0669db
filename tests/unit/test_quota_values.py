"""Quota values: what the operator may type, and what the scheduler enforces for each stored value."""
import pytest

from services.admin.accounts import quota_value
from services.scheduler.quotas import limit_of


@pytest.mark.parametrize("text, value", [("1", 1), ("600", 600), ("unlimited", "unlimited"), (" Unlimited ", "unlimited")])
def test_a_limit_is_a_positive_whole_number_or_unlimited(text, value):
    assert quota_value(text) == value


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "", "none", "infinite"])
def test_zero_and_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="at least 1 or 'unlimited'"):
        quota_value(text)


def test_stored_values_and_the_defaults_where_none_is_stored():
    assert limit_of({}, "requests_per_minute") == 600
    assert limit_of({}, "max_concurrent") == 50
    assert limit_of({"max_concurrent": "unlimited"}, "max_concurrent") is None
    assert limit_of({"max_concurrent": 3}, "max_concurrent") == 3
    assert limit_of({"max_concurrent": 3}, "requests_per_minute") == 600
