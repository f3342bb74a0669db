"""Each collection has one owner, and the others ask it over gRPC: the gateway's key lookups go
to the scheduler's AccountService (a revoked key is refused once its cache entry is 1 s old),
the admin CLI's commands too, and the scheduler checks what it is asked to store."""
import subprocess

import grpc
import pytest

from dev.stack import embedded
from services.common import ids, runtime
from services.common.errors import PermissionDenied, Unauthenticated
from services.gateway.auth import Authenticator
from services.gateway.keycache import KeyCache
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc
from tests.conftest import REPO


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def accounts(stack):
    async with runtime.channel(f"127.0.0.1:{stack.ports['scheduler_port']}", stack.internal_token) as channel:
        yield accounts_pb2_grpc.AccountServiceStub(channel)


async def test_a_key_revoked_through_the_admin_cli_is_refused_once_its_lookup_is_1s_old(stack, business, accounts):
    clock = Clock()
    auth = Authenticator(accounts, timeout=10, cache=KeyCache(ttl_s=1.0, clock=clock))
    metadata = (("authorization", f"Bearer {business['apiKey']}"),)
    assert await auth.business_of(metadata) == business["businessId"]
    stack.admin("key", "revoke", business["keyId"])
    clock.now = 0.999  # still remembered from the lookup at 0: the cache alone holds the old answer
    assert await auth.business_of(metadata) == business["businessId"]
    clock.now = 1.0
    with pytest.raises(PermissionDenied, match="revoked"):
        await auth.business_of(metadata)


async def test_an_unknown_key_is_not_found_and_never_remembered(accounts):
    clock = Clock()
    cache = KeyCache(ttl_s=1.0, clock=clock)
    auth = Authenticator(accounts, timeout=10, cache=cache)
    with pytest.raises(Unauthenticated, match="invalid API key"):
        await auth.business_of((("authorization", "Bearer sb_made-up"),))
    assert cache.get(ids.hash_api_key("sb_made-up")) is None


async def test_the_account_service_needs_the_internal_token(stack):
    async with runtime.channel(f"127.0.0.1:{stack.ports['scheduler_port']}") as channel:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await accounts_pb2_grpc.AccountServiceStub(channel).Authenticate(
                accounts_pb2.AuthenticateRequest(key_hash="0" * 64), timeout=10)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_quota_below_one_is_refused_naming_the_limit(business, accounts):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await accounts.SetQuota(accounts_pb2.SetQuotaRequest(
            business_id=business["businessId"], max_concurrent=accounts_pb2.Limit(count=0)), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details().startswith("max_concurrent: ")


async def test_admin_errors_keep_their_words_and_exit_code(stack):
    out = subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "key", "create", "biz_nobody"],
                         env=embedded.admin_env(stack.state_dir, stack.info), capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.strip() == "stablebrowse-admin: no business biz_nobody"
