"""Helpers for the notification tests: a recording SMTP handler and parsers for what it received."""

import asyncio
import email
import socket
import threading
from email import policy
from email.message import EmailMessage

import icalendar

DEADLINE = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Keeps every accepted message, parsed. Can hold one message back, or keep several clients in lockstep."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.sessions: set[int] = set()
        self.changed = threading.Condition()
        self.block_at: int | None = None
        self.blocked = threading.Event()
        self.release = threading.Event()
        # Set to threading.Barrier(n): every message waits for one from each of n clients, so the
        # clients go on (and claim their next rows) at the same moment.
        self.lockstep: threading.Barrier | None = None
        self._data_seen = 0

    async def handle_DATA(self, server, session, envelope):
        loop = asyncio.get_running_loop()
        with self.changed:
            self._data_seen += 1
            seen = self._data_seen
            self.sessions.add(id(session))
        if self.block_at == seen:
            # Hold the client mid-message (it has no answer yet, so it cannot have marked it sent).
            self.blocked.set()
            await loop.run_in_executor(None, self.release.wait, DEADLINE)
            return "451 Aborted"
        if self.lockstep is not None:
            await loop.run_in_executor(None, self._pass_lockstep)
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        with self.changed:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
            self.changed.notify_all()
        return "250 OK"

    def _pass_lockstep(self) -> None:
        try:
            self.lockstep.wait(DEADLINE)
        except threading.BrokenBarrierError:
            pass  # the other client has nothing left to send

    def wait_for(self, count: int, timeout: float = DEADLINE) -> list[EmailMessage]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.messages) >= count, timeout), (
                f"{len(self.messages)} of {count} messages arrived"
            )
            return list(self.messages)

    def message_ids(self) -> list[str]:
        with self.changed:
            return [m["Message-ID"] for m in self.messages]


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def calendar_of(message: EmailMessage) -> icalendar.Calendar | None:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return None
