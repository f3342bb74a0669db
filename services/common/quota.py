"""Quota values shared by the scheduler (which stores and enforces them) and the admin CLI
(which names the defaults in its help): each limit is a whole number of at least 1 or "unlimited".
On the wire (AccountService) a limit is an `accounts.v1.Limit`: a count or unlimited."""
from stablebrowse.accounts.v1 import accounts_pb2

UNLIMITED = "unlimited"
DEFAULT_QUOTA = {"requests_per_minute": 600, "max_concurrent": 50}
LIMITS = tuple(DEFAULT_QUOTA)


def quota_value(text: str) -> int | str:
    """A limit as the operator spells it: a whole number of at least 1, or "unlimited"."""
    if text.strip().lower() == UNLIMITED:
        return UNLIMITED
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"a limit is a whole number of at least 1 or {UNLIMITED!r}, not {text!r}")
    return value


def limit_message(value: int | str) -> accounts_pb2.Limit:
    return accounts_pb2.Limit(unlimited=True) if value == UNLIMITED else accounts_pb2.Limit(count=int(value))


def limit_value(limit: accounts_pb2.Limit) -> int | str:
    return UNLIMITED if limit.WhichOneof("value") == "unlimited" else limit.count
