"""Consumer lag of a topic, as Kafka's own tools (and KEDA's Kafka scaler) count it: per
partition, the end offset minus the group's committed offset (the partition's first offset
when the group has committed nothing there), summed. Sampled into metrics.DISPATCH_LAG."""
import asyncio
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from services.common import metrics
from services.common.settings import KafkaSettings

log = logging.getLogger(__name__)

BROWSER_GROUP = "stablebrowse-browser"  # services/browser/server.py's WORKER_GROUP


async def partitions(admin: AIOKafkaAdminClient, topic: str) -> list[TopicPartition]:
    """The topic's partitions, from fresh metadata (a topic created since start is seen)."""
    described = [t for t in await admin.describe_topics([topic]) if t["topic"] == topic and not t["error_code"]]
    return [TopicPartition(topic, p["partition"]) for t in described for p in sorted(t["partitions"], key=lambda p: p["partition"])]


async def group_lag(admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, topic: str, group: str) -> int:
    tps = await partitions(admin, topic)
    if not tps:
        return 0
    ends = await consumer.end_offsets(tps)
    firsts = await consumer.beginning_offsets(tps)
    committed = await admin.list_consumer_group_offsets(group, partitions=tps)
    lag = 0
    for tp in tps:
        done = committed.get(tp)
        position = done.offset if done is not None and done.offset >= 0 else firsts[tp]
        lag += max(0, ends[tp] - position)
    return lag


async def watch(settings: KafkaSettings, topic: str, groups: tuple[str, ...], interval_s: float) -> None:
    """Sets stablebrowse_dispatch_lag{group} every interval; a failed sample is logged and retried."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        while True:
            for group in groups:
                try:
                    metrics.DISPATCH_LAG.labels(group=group).set(await group_lag(admin, consumer, topic, group))
                except (KafkaError, OSError) as exc:
                    log.warning("consumer lag not sampled", extra={"group": group, "error": type(exc).__name__})
            await asyncio.sleep(interval_s)
    finally:
        await consumer.stop()
        await admin.close()
