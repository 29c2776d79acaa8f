"""The scale-out topology on one machine, each part on a free loopback port.

Used by ``ops/scale.py`` (the whole of it) and by the replica tests (the two
PostgreSQL clusters). Every part is a real server: PostgreSQL clusters made
by initdb and pg_basebackup, redis-server, moto's S3 server, Debian's
HAProxy, gunicorn through ``make serve``, and ``manage.py run_worker``.
Each ``start()`` waits until the part answers; each ``stop()`` is safe to
call twice.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
VERSION = sorted(os.listdir("/etc/postgresql"))[0] if os.path.isdir("/etc/postgresql") else "15"
PG_BIN = Path(f"/usr/lib/postgresql/{VERSION}/bin")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, what, seconds=30, process=None):
    deadline = time.monotonic() + seconds
    while not ready():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {seconds} s")
        time.sleep(0.1)


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def as_postgres(*command):
    """PostgreSQL's tools refuse to run as root: run them as the postgres user."""
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)], capture_output=True, text=True
    )


def private_folder(prefix):
    """A folder the postgres user owns (clusters live in it), removed by the caller."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    return folder


class Cluster:
    """A PostgreSQL cluster of its own: a primary (``create``) or a streaming replica of
    one (``replicate``), replication allowed over loopback only (initdb's pg_hba.conf)."""

    def __init__(self, folder, port=None):
        self.folder, self.port = Path(folder), port or free_port()

    def url(self, db):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def create(self):
        made = as_postgres(PG_BIN / "initdb", "-D", self.folder, "-U", "postgres", "--auth=trust")
        if made.returncode:
            raise RuntimeError(made.stderr)
        self.start()

    def replicate(self, primary):
        backup = as_postgres(
            PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
            "-D", self.folder, "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        if backup.returncode:
            raise RuntimeError(backup.stderr)
        self.start()

    def start(self):
        result = as_postgres(
            PG_BIN / "pg_ctl", "-D", self.folder, "-l", self.folder / "log", "-w", "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}", "start",
        )  # fmt: skip
        if result.returncode:
            log = (self.folder / "log").read_text() if (self.folder / "log").exists() else ""
            raise RuntimeError(result.stdout + result.stderr + log[-2000:])

    def stop(self, mode="fast"):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.folder, "-m", mode, "-w", "stop")

    def psql(self, sql, db="postgres"):
        """The answer of ``sql``, or None if the cluster does not answer."""
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
             "-tAc", sql],
            capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip() if result.returncode == 0 else None


class Service:
    """A server process in its own session (so that all of it can be signalled)."""

    name = "service"

    def __init__(self, log_folder):
        self.log_folder, self.process = Path(log_folder), None

    def command(self):
        raise NotImplementedError

    def environment(self):
        return os.environ

    def ready(self):
        raise NotImplementedError

    def cwd(self):
        return PROJECT

    def start(self, seconds=60):
        log = open(self.log_folder / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            self.command(), cwd=self.cwd(), env=self.environment(), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        wait_until(self.ready, self.name, seconds, self.process)
        return self

    def kill(self, sig=signal.SIGKILL):
        """Every process of it at once, as a lost machine goes."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self):
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.process = None


class Redis(Service):
    name = "redis"

    def __init__(self, log_folder):
        super().__init__(log_folder)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def command(self):
        return ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"]  # fmt: skip

    def ready(self):
        return listening(self.port)


class ObjectStore(Service):
    """moto's S3 server; its bucket made as the README says (media/ public, jobs/ private)."""

    name = "s3"
    BUCKET = "magazine-media"
    KEYS = {"DJANGO_S3_ACCESS_KEY_ID": "scale", "DJANGO_S3_SECRET_ACCESS_KEY": "scale-secret"}

    def __init__(self, log_folder):
        super().__init__(log_folder)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def command(self):
        moto = Path(sys.executable).parent / "moto_server"
        return [str(moto), "-H", "127.0.0.1", "-p", str(self.port)]

    def ready(self):
        return listening(self.port) and answers(self.endpoint)

    def start(self, seconds=60):
        super().start(seconds)
        import json

        import boto3

        client = boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id="scale", aws_secret_access_key="scale-secret",
        )  # fmt: skip
        client.create_bucket(Bucket=self.BUCKET)
        public = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": f"arn:aws:s3:::{self.BUCKET}/media/*"}],
        }  # fmt: skip
        client.put_bucket_policy(Bucket=self.BUCKET, Policy=json.dumps(public))
        return self

    def variables(self):
        return {
            "DJANGO_S3_BUCKET": self.BUCKET,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint,
            "DJANGO_S3_REGION": "us-east-1",
            **self.KEYS,
        }


class AppServer(Service):
    """``make serve``: migrate, collectstatic, gunicorn on its own port."""

    def __init__(self, log_folder, name, variables, workers=3):
        super().__init__(log_folder)
        self.name, self.port, self.variables, self.workers = name, free_port(), variables, workers

    def command(self):
        return ["make", "--no-print-directory", "serve"]

    def environment(self):
        return {
            **os.environ,
            **self.variables,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }

    def ready(self):
        return answers(f"http://127.0.0.1:{self.port}/healthz")


class JobWorker(Service):
    """``manage.py run_worker`` started from a working folder of its own."""

    def __init__(self, log_folder, name, variables, folder):
        super().__init__(log_folder)
        self.name, self.variables, self.folder = name, variables, Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def command(self):
        return [sys.executable, str(PROJECT / "manage.py"), "run_worker", "--no-reload",
                "--worker-id", self.name, "--interval", "0.2"]  # fmt: skip

    def cwd(self):
        return self.folder

    def environment(self):
        return {**os.environ, **self.variables}

    def ready(self):
        return True


HAPROXY_CONFIG = """
global
    log stdout format raw local0
    maxconn 4096

defaults
    mode http
    log global
    # accepted at (unix ms), status, total ms, server, how it ended, retries
    log-format "%Ts%ms %ST %Ta %s %tsc %rc"
    timeout connect 1s
    timeout client 60s
    timeout server 35s
    timeout queue 30s
    timeout check 3s
    # A refused connection is tried again, on the other server at once; so
    # is a request whose server closed without a byte of answer (killed
    # while it held it). Without empty-response HAProxy closes such a
    # keep-alive client connection without an answer or a log line.
    retries 3
    retry-on conn-failure empty-response
    option redispatch 1

frontend site
    bind 127.0.0.1:{port}
    default_backend apps

backend apps
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    # No more requests at once than a server has workers: the rest wait
    # here, not in gunicorn's backlog, where the health check would queue
    # behind them and time out on a server that is only busy.
    # A refused connection marks the server down at once (observe layer4):
    # without it the retries of the second before the health check notices
    # can land on the dead server again and fail.
    default-server inter 500ms fall 2 rise 2 maxconn {maxconn}
{servers}
"""


FAILOVER = "observe layer4 error-limit 1 on-error mark-down"


class LoadBalancer(Service):
    name = "haproxy"

    def __init__(self, log_folder, servers):
        super().__init__(log_folder)
        self.port, self.servers = free_port(), servers
        self.config = self.log_folder / "haproxy.cfg"
        self.url = f"http://127.0.0.1:{self.port}"

    def command(self):
        lines = "\n".join(
            f"    server {s.name} 127.0.0.1:{s.port} check {FAILOVER}" for s in self.servers
        )
        maxconn = min(server.workers for server in self.servers)
        self.config.write_text(
            HAPROXY_CONFIG.format(port=self.port, servers=lines, maxconn=maxconn)
        )
        return ["haproxy", "-db", "-f", str(self.config)]

    def ready(self):
        return answers(f"{self.url}/healthz")

    def log_lines(self):
        """(accepted at in s, status, total ms, server, how it ended) of every request so far."""
        found = []
        for line in (self.log_folder / f"{self.name}.log").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 5 and parts[0].isdigit():
                found.append(
                    (int(parts[0]) / 1000, int(parts[1]), int(parts[2]), parts[3], parts[4])
                )
        return found
