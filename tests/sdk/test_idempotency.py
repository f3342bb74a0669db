"""The Python SDK sends an Idempotency-Key on every POST and reuses it on its retries, so a
retried submission never creates a second task (real stack; a front server we control spoils
the first attempt)."""
import pytest

import stablebrowse
from stablebrowse import AsyncClient, Client
from tests.sdk.conftest import HN
from tests.sdk.front import CUT_OFF, UNAVAILABLE, Front


@pytest.fixture
def front(stack):
    fronts = []

    def start(spoil: str, first_posts: int = 1) -> Front:
        fronts.append(Front(stack.base_url, spoil, first_posts))
        return fronts[-1]

    yield start
    for server in fronts:
        server.close()


def listed(client: Client, end_user_id: str) -> list[str]:
    return [t.task_id for t in client.tasks.list(end_user_id=end_user_id).tasks]


@pytest.mark.parametrize("spoil", [CUT_OFF, UNAVAILABLE])
def test_a_retried_submit_reuses_its_key_and_makes_one_task(business, client, front, spoil):
    server = front(spoil)
    retries = []
    with Client(api_key=business["apiKey"], base_url=server.base_url, on_retry=retries.append) as through:
        task = through.tasks.submit("Title?", end_user_id="retry-user", start_url=HN)
    keys = [key for _, _, key in server.posts()]
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], keys
    assert [r.attempt for r in retries] == [1]
    assert listed(client, "retry-user") == [task.task_id]


def test_each_submit_has_its_own_key(business, front):
    server = front(UNAVAILABLE, first_posts=0)
    with Client(api_key=business["apiKey"], base_url=server.base_url) as through:
        first = through.tasks.submit("Title?", end_user_id="u", start_url=HN)
        second = through.tasks.submit("Title?", end_user_id="u", start_url=HN)
    keys = [key for _, _, key in server.posts()]
    assert len(set(keys)) == 2 and first.task_id != second.task_id


def test_a_key_given_by_the_caller_answers_the_same_task(client):
    first = client.tasks.submit("Title?", end_user_id="u", start_url=HN, idempotency_key="order-1234")
    again = client.tasks.submit("Title?", end_user_id="u", start_url=HN, idempotency_key="order-1234")
    assert again.task_id == first.task_id and again.created_at == first.created_at
    with pytest.raises(stablebrowse.ConflictError) as conflict:
        client.tasks.submit("Other?", end_user_id="u", start_url=HN, idempotency_key="order-1234")
    assert conflict.value.status_code == 409 and "Idempotency-Key" in conflict.value.message


async def test_the_async_client_reuses_its_key_too(business, client, front):
    server = front(CUT_OFF)
    async with AsyncClient(api_key=business["apiKey"], base_url=server.base_url) as through:
        task = await through.tasks.submit("Title?", end_user_id="async-user", start_url=HN)
    keys = [key for _, _, key in server.posts()]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert listed(client, "async-user") == [task.task_id]
