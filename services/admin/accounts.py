"""Businesses, API keys and quotas: the operator's side of tenancy, asked of the scheduler,
which owns them (AccountService)."""
from typing import Any

from services.common import ids
from services.common.quota import DEFAULT_QUOTA, LIMITS, limit_message, limit_value, quota_value
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc

__all__ = ["DEFAULT_QUOTA", "quota_value", "Accounts"]

def quota_json(quota: accounts_pb2.Quota) -> dict[str, Any]:
    """The stored limits as the CLI prints them: a number or "unlimited"."""
    return {name: limit_value(getattr(quota, name)) for name in LIMITS if quota.HasField(name)}


class Accounts:
    def __init__(self, stub: accounts_pb2_grpc.AccountServiceStub, timeout: float):
        self.stub = stub
        self.timeout = timeout

    async def create_business(self, name: str) -> accounts_pb2.IssuedKey:
        return await self.stub.CreateBusiness(accounts_pb2.CreateBusinessRequest(name=name), timeout=self.timeout)

    async def create_key(self, business_id: str) -> accounts_pb2.IssuedKey:
        return await self.stub.CreateKey(accounts_pb2.CreateKeyRequest(business_id=business_id), timeout=self.timeout)

    async def revoke_key(self, key_id: str) -> None:
        await self.stub.RevokeKey(accounts_pb2.RevokeKeyRequest(key_id=key_id), timeout=self.timeout)

    async def set_quota(self, business_id: str, requests_per_minute: int | str | None,
                        max_concurrent: int | str | None) -> dict[str, Any]:
        """Limits are whole numbers of at least 1, or "unlimited"; None leaves one as it is."""
        given = {name: limit_message(value) for name, value in
                 (("requests_per_minute", requests_per_minute), ("max_concurrent", max_concurrent)) if value is not None}
        if not given:
            raise ValueError("give --requests-per-minute and/or --max-concurrent")
        quota = await self.stub.SetQuota(accounts_pb2.SetQuotaRequest(business_id=business_id, **given),
                                         timeout=self.timeout)
        return quota_json(quota)

    async def set_switch(self, business_id: str, switch: accounts_pb2.Switch, on: bool) -> None:
        """Indexed answers (SWITCH_FAST_PATH) or recipe replay (SWITCH_REPLAY), on (the default) or off."""
        await self.stub.SetSwitch(accounts_pb2.SetSwitchRequest(business_id=business_id, switch=switch, on=on),
                                  timeout=self.timeout)

    async def key_is_active(self, api_key: str) -> bool:
        found = await self.stub.Authenticate(accounts_pb2.AuthenticateRequest(key_hash=ids.hash_api_key(api_key)),
                                             timeout=self.timeout)
        return found.found and not found.revoked
