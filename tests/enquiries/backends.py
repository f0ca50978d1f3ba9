"""Stand-ins for the SMTP server: one that always fails, one that is slow and records."""

import smtplib
import threading
import time

from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"gone@clinic.example": (550, b"No such user")})


class SlowRecordingBackend(BaseEmailBackend):
    """Takes a while per message, so two runs overlap; records every send across threads."""

    sent = []
    lock = threading.Lock()

    def send_messages(self, email_messages):
        for message in email_messages:
            time.sleep(0.2)
            with self.lock:
                self.sent.append((tuple(message.to), message.subject))
        return len(email_messages)
