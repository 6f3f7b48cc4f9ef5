"""A loopback SMTP server that accepts everything and appends each message's Message-ID to a file.

python bench/peers/smtp_sink.py PORT FILE
"""

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 — open for the server's lifetime

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.file.write(line.split(b":", 1)[1].strip().decode() + "\n")
                break
            if not line:
                break
        return "250 OK"


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
