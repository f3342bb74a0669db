"""POST /v1/tasks/{taskId}/share: a link to the task viewer, signed and expiring.

The link is `<public URL>/share/<token>`: STABLEBROWSE_PUBLIC_URL when the deployment sets
it (behind a TLS-terminating load balancer it must), else the scheme and host the caller
used (Envoy forwards them as x-forwarded-proto and x-forwarded-host)."""
import logging
import re

from google.protobuf import timestamp_pb2
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.errors import InvalidArgument, Unavailable
from services.gateway.share_token import MIN_SECRET_LENGTH, ShareSigner
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

DEFAULT_EXPIRES_S = 86_400  # 24 hours
MIN_EXPIRES_S = 60
MAX_EXPIRES_S = 604_800  # 7 days
HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class ShareSettings(BaseSettings):
    """STABLEBROWSE_SHARE_SECRET: the HMAC key of link tokens (at least 32 characters; empty:
    share links are off); STABLEBROWSE_PUBLIC_URL: where links start (empty: the caller's host)."""

    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    share_secret: SecretStr = SecretStr("")
    public_url: str = ""


def expires_in(request: tasks_pb2.ShareTaskRequest) -> int:
    if not request.HasField("expires_in_seconds"):
        return DEFAULT_EXPIRES_S
    value = request.expires_in_seconds
    if not MIN_EXPIRES_S <= value <= MAX_EXPIRES_S:
        raise InvalidArgument(f"expiresInSeconds: must be between {MIN_EXPIRES_S} and {MAX_EXPIRES_S} "
                              f"(7 days); got {value}")
    return value


def base_url(public_url: str, metadata) -> str:
    """Where the viewer is reached: the configured public URL, else the caller's scheme and host."""
    if public_url:
        return public_url.rstrip("/")
    headers = dict(metadata or ())
    host = headers.get("x-forwarded-host", "")
    scheme = "https" if headers.get("x-forwarded-proto") == "https" else "http"
    return f"{scheme}://{host}" if HOST.match(host) else ""  # no usable host: a path on this API's address


class ShareLinks:
    """Makes share links; `signer` is None when the deployment has no share secret."""

    def __init__(self, signer: ShareSigner | None, public_url: str) -> None:
        self.signer = signer
        self.public_url = public_url

    @classmethod
    def from_secret(cls, secret: str, public_url: str) -> "ShareLinks":
        if not secret:
            log.warning("share links are off: STABLEBROWSE_SHARE_SECRET is not set")
            return cls(None, public_url)
        if len(secret) < MIN_SECRET_LENGTH:
            reason = f"STABLEBROWSE_SHARE_SECRET: too short (at least {MIN_SECRET_LENGTH} characters)"
            log.error("refusing to start", extra={"reason": reason})
            raise SystemExit(2)
        return cls(ShareSigner(secret), public_url)

    async def create(self, scheduler: scheduler_pb2_grpc.SchedulerServiceStub, business_id: str,
                     request: tasks_pb2.ShareTaskRequest, metadata, timeout: float) -> tasks_pb2.ShareTaskResponse:
        lifetime = expires_in(request)
        if self.signer is None:
            raise Unavailable("share links are not configured on this deployment (STABLEBROWSE_SHARE_SECRET)")
        # Only the caller's own task: another business's is the same 404 as an unknown one.
        await scheduler.GetTask(scheduler_pb2.GetTaskRequest(business_id=business_id, task_id=request.task_id),
                                timeout=timeout)
        token, expires_at = self.signer.sign(request.task_id, business_id, lifetime)
        return tasks_pb2.ShareTaskResponse(url=f"{base_url(self.public_url, metadata)}/share/{token}",
                                           expires_at=timestamp_pb2.Timestamp(seconds=expires_at))
