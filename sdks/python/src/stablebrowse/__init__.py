__path__ = __import__("pkgutil").extend_path(__path__, __name__)  # keep generated stablebrowse.*.v1 importable
__doc__ = """stablebrowse: submit natural-language browser tasks and get their answers.

    from stablebrowse import Client
    task = Client().tasks.run("What is the top story on Hacker News?", end_user_id="alice")
    print(task.result)
"""
from ._client import DEFAULT_BASE_URL, AsyncClient, Client, __version__
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StablebrowseError,
    TaskFailedError,
    TaskTimeoutError,
)
from ._events import DoneEvent, Share, StatusEvent, StepEvent, TaskEvent
from ._models import Cookie, Credential, StepSummary, Task, TaskPage, Usage, Verification
from ._retry import RetryEvent
from ._sse import ServerSentEvent, SSEParser
from ._webhooks import Delivery, DeliveryAttempt, Webhook, WebhookVerificationError, verify_webhook

__all__ = [
    "Client", "AsyncClient", "DEFAULT_BASE_URL", "__version__",
    "Task", "StepSummary", "Usage", "Verification", "TaskPage", "Credential", "Cookie", "RetryEvent",
    "StablebrowseError", "APIConnectionError", "APITimeoutError", "APIStatusError", "BadRequestError",
    "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ConflictError", "RateLimitError",
    "TaskTimeoutError", "TaskFailedError",
    "StepEvent", "StatusEvent", "DoneEvent", "TaskEvent", "Share", "SSEParser", "ServerSentEvent",
    "Webhook", "Delivery", "DeliveryAttempt", "verify_webhook", "WebhookVerificationError",
]
