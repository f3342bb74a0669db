"""Test stacks pick their ports where no other process is handed them meanwhile."""
import random
import socket

from dev.stack import ports


def test_ports_are_picked_below_the_kernels_ephemeral_range():
    low, _ = ports.ephemeral_range()
    picked = ports.free_ports([f"p{i}" for i in range(30)], blocks={"p0": 4})
    assert all(ports.LOWEST <= port and port + 4 <= low for port in picked.values())


def test_every_name_gets_its_own_port_and_blocks_do_not_overlap():
    picked = ports.free_ports(["a", "b", "c"], blocks={"b": 6})
    taken = [picked["a"], *range(picked["b"], picked["b"] + 6), picked["c"]]
    assert len(taken) == len(set(taken))


def test_a_port_in_use_is_not_picked():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    held = listener.getsockname()[1]
    if held >= ports.ephemeral_range()[0]:  # the kernel put it in its range: hold one below instead
        listener.close()
        listener = socket.socket()
        held = ports.free_port()
        listener.bind(("127.0.0.1", held))
    listener.listen()

    class ProposesTheHeldPortFirst(random.Random):
        proposals = [held]

        def randrange(self, start, stop=None, step=1):
            return self.proposals.pop() if self.proposals else super().randrange(start, stop, step)

    try:
        assert ports.free_port_block(1, rng=ProposesTheHeldPortFirst(7)) != held
    finally:
        listener.close()
