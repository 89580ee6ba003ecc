"""A real HTTP server on 127.0.0.1 that receives webhooks, checks their
signature, and can be told to fail."""

import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    secret: str
    answer: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)
    idempotency_keys: list[str] = field(default_factory=list)
    bad_signatures: int = 0


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            timestamp = self.headers["X-SafeZones-Timestamp"]
            expected = hmac.new(receiver.secret.encode(), timestamp.encode() + b"." + body, sha256).hexdigest()
            if not hmac.compare_digest(self.headers["X-SafeZones-Signature"], f"sha256={expected}"):
                receiver.bad_signatures += 1
                self.send_response(401)
            elif receiver.answer == 200:
                receiver.received.append(json.loads(body))
                receiver.idempotency_keys.append(self.headers["Idempotency-Key"])
                self.send_response(200)
            else:
                self.send_response(receiver.answer)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def webhook_server(receiver: Receiver) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
