"""stablebrowse-admin: create businesses and keys, revoke keys, set quotas, turn indexed answers off,
rotate the vault key."""
import argparse
import asyncio
import json
import sys

import grpc

from services.admin import accounts, rekey
from services.admin.settings import AdminSettings
from services.common import internal_auth, runtime, vault
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc
from stablebrowse.webhooks.v1 import store_pb2_grpc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="stablebrowse-admin", description=__doc__)
    sub = p.add_subparsers(dest="area", required=True)

    business = sub.add_parser("business", help="businesses").add_subparsers(dest="action", required=True)
    create = business.add_parser("create", help="create a business and its first API key")
    create.add_argument("name")
    create.add_argument("--json", action="store_true")

    fast = business.add_parser("set-fastpath", help="indexed answers on (default) or off for a business's tasks")
    fast.add_argument("business_id")
    fast.add_argument("state", choices=["on", "off"])

    replay = business.add_parser("set-replay", help="recipes replayed without the model on (default) or off")
    replay.add_argument("business_id")
    replay.add_argument("state", choices=["on", "off"])

    key = sub.add_parser("key", help="API keys").add_subparsers(dest="action", required=True)
    kcreate = key.add_parser("create", help="issue another key for a business")
    kcreate.add_argument("business_id")
    kcreate.add_argument("--json", action="store_true")
    krevoke = key.add_parser("revoke", help="revoke a key; takes effect on the next request")
    krevoke.add_argument("key_id")

    quota = sub.add_parser("quota", help="quotas").add_subparsers(dest="action", required=True)
    qset = quota.add_parser("set", help="set a business's limits: a whole number (at least 1) or 'unlimited' "
                                        f"(new businesses: {accounts.DEFAULT_QUOTA['requests_per_minute']} requests "
                                        f"per minute, {accounts.DEFAULT_QUOTA['max_concurrent']} concurrent)")
    qset.add_argument("business_id")
    qset.add_argument("--requests-per-minute", type=limit_arg, metavar="N|unlimited")
    qset.add_argument("--max-concurrent", type=limit_arg, metavar="N|unlimited")

    vaults = sub.add_parser("vault", help="the credential vault").add_subparsers(dest="action", required=True)
    vaults.add_parser("rotate", help="re-seal every credential with STABLEBROWSE_SECRET_KEY "
                                    "(the old key in STABLEBROWSE_SECRET_KEY_PREVIOUS)")
    return p


def limit_arg(text: str) -> int | str:
    try:
        return accounts.quota_value(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def show_key(issued: accounts_pb2.IssuedKey, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"businessId": issued.business_id, "keyId": issued.key_id, "apiKey": issued.api_key}))
    else:
        print(f"business {issued.business_id}\nkey id   {issued.key_id}\napi key  {issued.api_key}  (shown once)")


async def run(args: argparse.Namespace) -> None:
    """Each command is a call to the collection's owner: the scheduler (AccountService), and for
    the vault's webhook secrets the webhooks service (WebhookStore)."""
    settings = AdminSettings()
    token = internal_auth.token(settings)
    timeout = settings.scheduler_timeout_seconds
    async with runtime.channel(settings.scheduler_target, token) as channel:
        stub = accounts_pb2_grpc.AccountServiceStub(channel)
        owner = accounts.Accounts(stub, timeout)
        match (args.area, args.action):
            case ("business", "create"):
                show_key(await owner.create_business(args.name), args.json)
            case ("business", "set-fastpath"):
                await owner.set_switch(args.business_id, accounts_pb2.SWITCH_FAST_PATH, args.state == "on")
                print(json.dumps({"businessId": args.business_id, "fastPath": args.state}))
            case ("business", "set-replay"):
                await owner.set_switch(args.business_id, accounts_pb2.SWITCH_REPLAY, args.state == "on")
                print(json.dumps({"businessId": args.business_id, "replay": args.state}))
            case ("key", "create"):
                show_key(await owner.create_key(args.business_id), args.json)
            case ("key", "revoke"):
                await owner.revoke_key(args.key_id)
                print(f"revoked {args.key_id}")
            case ("quota", "set"):
                quota = await owner.set_quota(args.business_id, args.requests_per_minute, args.max_concurrent)
                print(json.dumps({"businessId": args.business_id, **quota}))
            case ("vault", "rotate"):
                sealer = settings.vault()
                if sealer is None:
                    raise ValueError("STABLEBROWSE_SECRET_KEY is not set")
                async with runtime.channel(settings.webhooks_target, token) as hooks:
                    counts = await rekey.reseal_all(stub, store_pb2_grpc.WebhookStoreStub(hooks), sealer, timeout)
                print(json.dumps(counts))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        asyncio.run(run(args))
    except (ValueError, vault.VaultError) as exc:
        print(f"stablebrowse-admin: {exc}", file=sys.stderr)
        return 1
    except grpc.aio.AioRpcError as exc:  # the owner's own words: "no business …", or why it is unreachable
        print(f"stablebrowse-admin: {exc.details()}", file=sys.stderr)
        return 1
    except internal_auth.MissingInternalToken as exc:
        print(f"stablebrowse-admin: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
