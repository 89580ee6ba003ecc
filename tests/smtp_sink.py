"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), which can be stopped
and started again to play a mail outage."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._sessions: list[object] = []  # aiosmtpd's session of each message: one per connection

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        self._sessions.append(session)
        return "250 Message accepted"

    def connections(self) -> int:
        """How many connections the messages came over."""
        return len({id(session) for session in self._sessions})

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server(sink: Sink, port: int) -> Iterator[Controller]:
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@contextmanager
def silent_server(port: int = 0) -> Iterator[tuple[int, list[int]]]:
    """Accepts connections and never answers: a mail server or webhook
    receiver that hangs. Yields its port and a count of connections."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    accepted: list[int] = []
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield int(listener.getsockname()[1]), accepted
    finally:
        listener.close()
        for connection in held:
            connection.close()
