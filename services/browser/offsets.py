"""Which dispatch offsets the worker may commit. Dispatches of a partition are handled
concurrently and end in any order; a partition's committed offset never passes the oldest
dispatch still in hand, so a crash replays only those (a claim makes a replay safe)."""
import collections
from collections.abc import Hashable, Iterable


class Offsets:
    """Per partition: the offsets in hand (a redelivered one counts twice), one past the newest
    offset seen, and the position that became safe to commit since the last commit."""

    def __init__(self) -> None:
        self.held: dict[Hashable, collections.Counter[int]] = collections.defaultdict(collections.Counter)
        self.next: dict[Hashable, int] = {}
        self.ready: dict[Hashable, int] = {}

    @property
    def in_hand(self) -> int:
        return sum(sum(held.values()) for held in self.held.values())

    def take(self, partition: Hashable, offset: int) -> None:
        self.held[partition][offset] += 1
        self.next[partition] = max(self.next.get(partition, 0), offset + 1)

    def settle(self, partition: Hashable, offset: int) -> None:
        """The dispatch at `offset` was handled: the partition's position may move past it."""
        held = self.held[partition]
        held[offset] -= 1
        if held[offset] <= 0:
            del held[offset]
        self.ready[partition] = min(held) if held else self.next[partition]

    def to_commit(self, assigned: Iterable[Hashable]) -> dict[Hashable, int]:
        """Positions to commit now, for the partitions still assigned here; those of partitions
        taken away by a rebalance are dropped (their new owner replays from its last commit)."""
        ready, self.ready = self.ready, {}
        mine = set(assigned)
        return {partition: offset for partition, offset in ready.items() if partition in mine}
