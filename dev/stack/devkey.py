"""The dev business: created on first start, its key kept in the state directory."""
from dev.stack.config import StackConfig
from services.admin import accounts
from services.common import mongo
from services.common.settings import MongoSettings


async def ensure(config: StackConfig) -> str:
    key_file = config.state_dir / "dev-api-key"
    db = mongo.connect(MongoSettings(mongodb_uri=config.mongodb_uri))
    try:
        await mongo.ensure_indexes(db)
        if key_file.exists():
            key = key_file.read_text().strip()
            if await accounts.key_is_active(db, key):
                return key
        issued = await accounts.create_business(db, "dev")
        key_file.write_text(issued.api_key + "\n")
        key_file.chmod(0o600)
        return issued.api_key
    finally:
        await db.client.close()


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
