"""Real SMTP servers on localhost (aiosmtpd) for the outbox tests.

Fixtures: ``smtp_server`` collects what it is sent; ``refusing_smtp_server`` answers every
message with a temporary failure; ``silent_smtp_server`` accepts connections and never answers;
``closed_port`` is a port where nothing listens.
"""
import email
import socket
import threading
import time
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """Accept every message; refuse the recipients listed in ``refused`` with a 550."""

    def __init__(self):
        self.envelopes = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=default_policy) for e in self.envelopes]


class Refuser:
    """Refuse every message after reading it, as a busy or greylisting server does."""

    def __init__(self, reply: str = "451 4.3.0 Try again later"):
        self.reply = reply
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        return self.reply


class Server:
    def __init__(self, handler):
        self.handler = handler
        self.port = free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def __getattr__(self, name):
        return getattr(self.handler, name)


def _run(handler):
    server = Server(handler)
    server.controller.start()
    return server


@pytest.fixture
def smtp_server():
    server = _run(Collector())
    yield server
    server.controller.stop()


@pytest.fixture
def refusing_smtp_server():
    server = _run(Refuser())
    yield server
    server.controller.stop()


@pytest.fixture
def closed_port() -> int:
    return free_port()


class SilentServer:
    """Accept connections and never say a word (a relay that hangs): counts who connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)  # held open, never answered

    def wait_for_connection(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.connections:
            if time.monotonic() > deadline:
                raise AssertionError("nobody connected to the silent SMTP server")
            time.sleep(0.05)

    def stop(self) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def silent_smtp_server():
    server = SilentServer()
    yield server
    server.stop()
