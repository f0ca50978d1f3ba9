"""The SMTP email backend staff notifications go through: Django's, plus a way to cut a
send off from another thread.

Each socket operation is bounded by EMAIL_TIMEOUT, but a server that sends a byte before
each timeout runs out (a tarpit) could hold a send for ever, even while its greeting is
still coming, before Django's backend has a connection to show. This backend keeps the
socket from the moment it connects, so that `cut_off()` ends the send at once
(enquiries.notifications does, at the send's deadline).
"""

import contextlib
import socket

from django.core.mail.backends import smtp


class EmailBackend(smtp.EmailBackend):
    sock = None

    @property
    def connection_class(self):
        backend = self

        class Connection(super().connection_class):
            def _get_socket(self, host, port, timeout):
                backend.sock = super()._get_socket(host, port, timeout)
                return backend.sock

        return Connection

    def cut_off(self):
        """Shut the socket of the send under way, if any (safe from another thread)."""
        if self.sock is not None:
            with contextlib.suppress(OSError):  # already closed
                self.sock.shutdown(socket.SHUT_RDWR)
