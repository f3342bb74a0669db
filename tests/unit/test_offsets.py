"""The worker's offset bookkeeping (services/browser/offsets.py): what may be committed when
dispatches of a partition end out of order, are delivered twice, or the partition moves away."""
from services.browser.offsets import Offsets

P0, P1 = ("dispatch", 0), ("dispatch", 1)


def taken(partition, *offsets: int) -> Offsets:
    book = Offsets()
    for offset in offsets:
        book.take(partition, offset)
    return book


def test_nothing_is_committed_before_a_dispatch_ends():
    book = taken(P0, 5, 6)
    assert book.in_hand == 2
    assert book.to_commit([P0]) == {}


def test_out_of_order_ends_commit_only_up_to_the_oldest_still_in_hand():
    book = taken(P0, 5, 6, 7)
    book.settle(P0, 7)
    assert book.to_commit([P0]) == {P0: 5}
    book.settle(P0, 5)
    assert book.to_commit([P0]) == {P0: 6}
    book.settle(P0, 6)
    assert book.to_commit([P0]) == {P0: 8}
    assert book.in_hand == 0


def test_a_position_is_committed_once():
    book = taken(P0, 5)
    book.settle(P0, 5)
    assert book.to_commit([P0]) == {P0: 6}
    assert book.to_commit([P0]) == {}


def test_a_redelivered_dispatch_holds_the_position_until_every_copy_ended():
    book = taken(P0, 5, 6, 5)
    assert book.in_hand == 3
    book.settle(P0, 6)
    book.settle(P0, 5)
    assert book.to_commit([P0]) == {P0: 5}
    book.settle(P0, 5)
    assert book.to_commit([P0]) == {P0: 7}


def test_a_replayed_older_offset_is_in_hand_again():
    book = taken(P0, 5)
    book.settle(P0, 5)
    book.take(P0, 3)  # redelivered from an older commit, e.g. after a rebalance
    book.settle(P0, 3)
    assert book.to_commit([P0]) == {P0: 6}  # never behind the newest offset seen when nothing is in hand


def test_after_a_rebalance_only_partitions_still_assigned_are_committed():
    book = taken(P0, 5)
    book.take(P1, 9)
    book.settle(P0, 5)
    book.settle(P1, 9)
    assert book.to_commit([P0]) == {P0: 6}
    assert book.to_commit([P0, P1]) == {}  # P1's position was dropped: its new owner replays from its commit


def test_partitions_are_independent():
    book = taken(P0, 5)
    book.take(P1, 2)
    book.settle(P1, 2)
    assert book.to_commit([P0, P1]) == {P1: 3}
