"""A real SMTP server for tests (aiosmtpd on a free loopback port), told how to answer.

Each recipient can be accepted, greylisted (451 at RCPT) or refused (550 at RCPT). A
second kind of server accepts connections and never says a word, as a hung mail
server does; a third says its greeting one byte at a time, never finishing it.
"""

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.ports import free_port

ACCEPT, GREYLIST, REFUSE = "accept", "451", "550"


@dataclass
class Received:
    recipients: list
    message: email.message.Message

    @property
    def text(self):
        return self.message["Subject"] + "\n" + self.message.get_payload(decode=True).decode()


@dataclass
class ScriptedHandler:
    answers: dict = field(default_factory=dict)  # recipient -> ACCEPT, GREYLIST or REFUSE
    received: list = field(default_factory=list)
    rcpt_commands: int = 0
    delay: float = 0.0  # seconds to think before accepting a message
    data_answer: str = ""  # an SMTP reply to give at DATA instead of accepting
    data_commands: int = 0  # messages begun (DATA received), accepted or not

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_commands += 1
        answer = self.answers.get(address, ACCEPT)
        if answer == GREYLIST:
            return "451 4.7.1 Greylisted, please try again later"
        if answer == REFUSE:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_answer:
            return self.data_answer
        message = email.message_from_bytes(envelope.original_content)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, recipient):
        return [r for r in self.received if recipient in r.recipients]


class SmtpServer:
    def __init__(self):
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()


class HungSmtpServer:
    """Completes the TCP handshake (the kernel does) and then never answers."""

    def __enter__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        return self

    def __exit__(self, *exc_info):
        self.socket.close()


class SendsNothingBackend:
    """An email backend that, like one told to fail silently, reports nothing sent."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, email_messages):
        return 0


class DribblingSmtpServer:
    """Greets each connection one byte every `interval` seconds and never ends the line:
    no single read ever waits long enough to time out."""

    def __init__(self, interval=0.1):
        self.interval = interval

    def __enter__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self):
        while not self.stopping.is_set():
            try:
                client, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self._dribble, args=(client,), daemon=True).start()

    def _dribble(self, client):
        with client:
            for byte in b"220-" + b"x" * 5000:
                if self.stopping.is_set():
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(self.interval)

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.socket.close()
