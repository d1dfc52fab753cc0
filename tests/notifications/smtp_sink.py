"""A tiny SMTP server on a free local port, run in a thread of the test process, so that tests count the e-mails
real senders (this process or others) actually delivered. It can refuse every connection (an outage), wait before
answering QUIT (a slow close), and call a hook when a message's data has arrived, before it answers 250."""

import contextlib
import email
import socketserver
import threading
import time
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, text: str) -> None:
        try:
            self.wfile.write(text.encode() + b"\r\n")
            self.wfile.flush()
        except OSError:  # the sender was killed: nobody to answer
            pass

    def handle(self):
        with contextlib.suppress(OSError):  # the sender went away mid-conversation (a killed worker)
            self._converse(self.server.sink)

    def _converse(self, sink):
        with sink.lock:
            sink.connections += 1
            refuse = sink.refusing or sink.connections <= sink.refuse_first
        if refuse:
            self._reply("421 4.3.2 Service not available, try again later")
            return
        self._reply("220 sink.test ESMTP")
        in_data, lines = False, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    sink.receive(b"".join(lines))
                    lines = []
                    self._reply("250 2.0.0 Ok: queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line.strip().upper()
            if command.startswith(b"EHLO"):
                self._reply("250-sink.test\r\n250 8BITMIME")
            elif command.startswith((b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                self._reply("250 2.0.0 Ok")
            elif command == b"DATA":
                in_data = True
                self._reply("354 End data with <CR><LF>.<CR><LF>")
            elif command == b"QUIT":
                time.sleep(sink.quit_delay)
                self._reply("221 2.0.0 Bye")
                return
            else:
                self._reply("502 5.5.2 Command not recognised")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[Message] = []
        self.connections = 0
        self.refusing = False
        self.refuse_first = 0  # refuse this many connections, then accept
        self.quit_delay = 0.0
        self.on_data = None  # called with the parsed message before the server answers 250
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def receive(self, raw: bytes) -> None:
        message = email.message_from_bytes(raw)
        if self.on_data is not None:
            self.on_data(message)
        with self.lock:
            self.messages.append(message)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def outbox_ids(self) -> list[int]:
        """The outbox row of each delivered message, read from its Message-ID (<outbox.<pk>.<time>@...>)."""
        return [int(mid.strip("<>").split(".")[1]) for mid in self.message_ids()]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
