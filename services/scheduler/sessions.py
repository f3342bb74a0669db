"""Sessions: minted per first turn, owned by one business and one end user."""
from services.common import ids, mongo
from services.common.errors import PermissionDenied

CONTEXT_TURNS = 5
CONTEXT_FIELD_CHARS = 600
CONTEXT_MAX_CHARS = 4000

# One message for unknown, foreign-business and other-end-user sessions: nothing to learn from it.
SESSION_DENIED = "sessionId: not usable by this end user"


async def check_session(db, business_id: str, end_user_id: str, session_id: str) -> None:
    doc = await db[mongo.SESSIONS].find_one({"_id": session_id})
    if doc is None or doc["business_id"] != business_id or doc["end_user_id"] != end_user_id:
        raise PermissionDenied(SESSION_DENIED)


async def mint_session(db, business_id: str, end_user_id: str) -> str:
    session_id = ids.new_id()
    await mongo.durable(db, mongo.SESSIONS).insert_one(
        {"_id": session_id, "business_id": business_id, "end_user_id": end_user_id, "created_at": ids.now()}
    )
    return session_id


def _clip(text: str, limit: int = CONTEXT_FIELD_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarize_turns(earlier: list[dict]) -> tuple[str | None, str | None]:
    """previousContext (bounded summary of earlier turns, oldest first) and previousError."""
    if not earlier:
        return None, None
    lines = []
    for turn in earlier:
        line = f"Task: {_clip(turn['task'])}"
        if turn.get("result") is not None and turn.get("status") != "failed":  # a refused answer failed
            line += f" | Result: {_clip(turn['result'])}"
        elif turn.get("error") is not None:
            line += f" | Failed: {_clip(turn['error'])}"
        else:
            line += f" | Status: {turn['status']}"
        lines.append(line)
    context = "\n".join(lines)
    if len(context) > CONTEXT_MAX_CHARS:
        context = "…" + context[-(CONTEXT_MAX_CHARS - 1):]
    last = earlier[-1]
    previous_error = last.get("error") if last.get("status") == "failed" else None
    return context, previous_error


async def previous_turns(db, business_id: str, session_id: str, before) -> list[dict]:
    cursor = (
        db[mongo.TASKS]
        .find({"business_id": business_id, "session_id": session_id, "created_at": {"$lt": before}})
        .sort("created_at", -1)
        .limit(CONTEXT_TURNS)
    )
    turns = await cursor.to_list(CONTEXT_TURNS)
    return list(reversed(turns))
