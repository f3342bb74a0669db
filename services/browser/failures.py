"""How a task ends badly: a machine-readable code beside the human message."""


class TaskFailure(Exception):
    """Ends the task as failed with one of the documented error codes."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
