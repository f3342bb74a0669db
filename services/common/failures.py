"""How a task ends badly: an ErrorCode (protos/stablebrowse/errors/v1) beside the human message.

The one place where a code and the record's `errorCode` string meet: the enum value's name
without its prefix, in lower case (ERROR_CODE_MAX_STEPS <-> "max_steps")."""
from stablebrowse.errors.v1.errors_pb2 import ErrorCode

__all__ = ["ErrorCode", "TaskFailure", "code_name", "code_of", "record_fields"]

_PREFIX = "ERROR_CODE_"
_NAMED: frozenset[ErrorCode] = frozenset(ErrorCode.values()) - {ErrorCode.ERROR_CODE_UNSPECIFIED}


def code_name(code: ErrorCode) -> str:
    """The record's errorCode for `code`; a failure naming no code (or one this build does
    not know) is an internal error."""
    if code not in _NAMED:
        code = ErrorCode.ERROR_CODE_INTERNAL_ERROR
    return str(ErrorCode.Name(code)).removeprefix(_PREFIX).lower()


_BY_NAME: dict[str, ErrorCode] = {code_name(code): code for code in _NAMED}


def code_of(name: str) -> ErrorCode:
    """The code a record's errorCode string names (one this build does not know: internal_error)."""
    return _BY_NAME.get(name, ErrorCode.ERROR_CODE_INTERNAL_ERROR)


def record_fields(code: ErrorCode, message: str) -> dict[str, str]:
    """What a failed task's document stores about why it failed."""
    return {"error": message, "error_code": code_name(code)}


class TaskFailure(Exception):
    """Ends the task as failed with `code`; the message is shown to the caller as `error`."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code

    def record_fields(self) -> dict[str, str]:
        return record_fields(self.code, str(self))
