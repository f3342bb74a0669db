"""The dev business: created on first start (through the scheduler, which owns businesses and
keys), its key kept in the state directory."""
from dev.stack.config import StackConfig
from services.admin.accounts import Accounts
from services.common import runtime
from stablebrowse.accounts.v1 import accounts_pb2_grpc


async def ensure(config: StackConfig) -> str:
    key_file = config.state_dir / "dev-api-key"
    token = config.service_env()["STABLEBROWSE_INTERNAL_TOKEN"]
    async with runtime.channel(f"127.0.0.1:{config.scheduler_port}", token) as channel:
        accounts = Accounts(accounts_pb2_grpc.AccountServiceStub(channel), timeout=30)
        if key_file.exists():
            key = key_file.read_text().strip()
            if await accounts.key_is_active(key):
                return key
        issued = await accounts.create_business("dev")
    key_file.write_text(issued.api_key + "\n")
    key_file.chmod(0o600)
    return issued.api_key


def banner(config: StackConfig, key: str | None) -> None:
    lines = [f"stablebrowse is up: {config.base_url}"]
    if key:
        lines += [
            f"dev API key: {key}  (also in {config.state_dir / 'dev-api-key'})",
            "try:",
            f"  curl -s {config.base_url}/v1/tasks -H \"Authorization: Bearer $(cat {config.state_dir / 'dev-api-key'})\" \\",
            "    -H 'Content-Type: application/json' \\",
            "    -d '{\"endUserId\": \"alice\", \"task\": \"What is the title of the top story?\", \"startUrl\": \"https://news.ycombinator.com/\"}'",
        ]
    print("\n".join(lines), flush=True)
