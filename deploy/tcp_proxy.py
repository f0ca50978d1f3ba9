"""A TCP proxy on loopback, for cutting a connection on purpose (tests, check-topology).

    python deploy/tcp_proxy.py LISTEN_PORT TARGET_HOST:TARGET_PORT

forwards every connection made to 127.0.0.1:LISTEN_PORT to the target. Stopping the
process (any signal) cuts every connection through it at once, and new ones are refused,
as when the server behind it goes away; starting it again on the same port restores
the way through. Standard library only.
"""

import contextlib
import signal
import socket
import sys
import threading


def _pipe(source, destination):
    try:
        while data := source.recv(65536):
            destination.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, destination):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def serve(listen_port, target):
    listener = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
    print(f"listening on 127.0.0.1:{listen_port}", flush=True)
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection(target, timeout=5)
        except OSError:
            client.close()
            continue
        upstream.settimeout(None)
        for source, destination in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pipe, args=(source, destination), daemon=True).start()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    host, _, port = sys.argv[2].rpartition(":")
    serve(int(sys.argv[1]), (host, int(port)))
