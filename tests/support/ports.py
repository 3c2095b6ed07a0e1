"""Free loopback ports for the servers tests start, drawn below the kernel's ephemeral range.

Tests run in parallel processes, and servers are stopped and started again on the same port
(NATS away and back, a service killed and restarted). A port from bind(0), or the local end
of any outgoing connection, comes from the ephemeral range (32768 and up on Linux), so another
process could take such a port while its server is down. Below that range only a test that
chose the port itself binds it.
"""

from __future__ import annotations

import random
import socket

LOW, HIGH = 20_000, 32_000


def can_bind(port: int) -> bool:
    """Whether nothing holds the port on 127.0.0.1 right now."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port_range(count: int) -> int:
    """The first of `count` consecutive ports that are free right now."""
    for _ in range(100):
        first = random.randrange(LOW, HIGH - count)
        if all(can_bind(port) for port in range(first, first + count)):
            return first
    raise RuntimeError(f"no {count} free consecutive ports in {LOW}-{HIGH}")


def free_port() -> int:
    """A port that is free right now."""
    return free_port_range(1)
