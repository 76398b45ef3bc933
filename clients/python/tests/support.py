"""What the broker tests share: a vhost of their own on the test broker, real worker JVMs, the DP3 stand-in's record.

The broker is the one in RABBITMQ_URI (default amqp://guest:guest@127.0.0.1:5672/), its management API at
RABBITMQ_MANAGEMENT_URI (default http://127.0.0.1:15672). Workers run bin/dp3q-worker from the packaged jars
(mvn -B package -DskipTests first) with examples/standin/dp3-standin as DP3.
"""
import base64
import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pika

REPO = pathlib.Path(__file__).resolve().parents[3]
WORKER = REPO / "bin" / "dp3q-worker"
DP3Q = REPO / "bin" / "dp3q"
STANDIN = REPO / "examples" / "standin" / "dp3-standin"


def require_jars():
    for jar in (REPO / "consumer-worker" / "target" / "dp3q-worker-all.jar", REPO / "producer" / "target" / "dp3q-all.jar"):
        if not jar.exists():
            raise RuntimeError("%s is missing: build it first with mvn -B package -DskipTests" % jar)


def free_ports(count):
    """count TCP ports free on loopback right now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def eventually(check, timeout=60.0, what="condition"):
    """Polls check() until it returns something true; fails naming what did not happen."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - the broker may be starting; keep polling
            last = e
        time.sleep(0.1)
    raise AssertionError("%s did not happen within %.0f s (last error: %r)" % (what, timeout, last))


class Broker:
    """A broker endpoint: AMQP URI without vhost and the management API."""

    def __init__(self, uri, management):
        parsed = urllib.parse.urlparse(uri)
        self.host, self.port = parsed.hostname, parsed.port or 5672
        self.user, self.password = parsed.username or "guest", parsed.password or "guest"
        self.management = management.rstrip("/")

    @classmethod
    def from_env(cls):
        return cls(os.environ.get("RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/"),
                   os.environ.get("RABBITMQ_MANAGEMENT_URI", "http://127.0.0.1:15672"))

    def uri(self, vhost):
        return "amqp://%s:%s@%s:%d/%s" % (self.user, self.password, self.host, self.port, urllib.parse.quote(vhost, safe=""))

    def api(self, method, path, body=None):
        request = urllib.request.Request(self.management + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        token = base64.b64encode(("%s:%s" % (self.user, self.password)).encode()).decode()
        request.add_header("Authorization", "Basic " + token)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def create_vhost(self, vhost):
        quoted = urllib.parse.quote(vhost, safe="")
        self.api("PUT", "/api/vhosts/" + quoted, {})
        self.api("PUT", "/api/permissions/%s/%s" % (quoted, urllib.parse.quote(self.user, safe="")),
                 {"configure": ".*", "write": ".*", "read": ".*"})

    def delete_vhost(self, vhost):
        try:
            self.api("DELETE", "/api/vhosts/" + urllib.parse.quote(vhost, safe=""))
        except urllib.error.HTTPError as e:
            if e.code != 404:
                raise

    def queue(self, vhost, queue):
        """(ready messages, consumers) straight from the broker."""
        params = pika.URLParameters(self.uri(vhost))
        with pika.BlockingConnection(params) as connection:
            ok = connection.channel().queue_declare(queue, passive=True).method
            return ok.message_count, ok.consumer_count


def new_vhost_name(module):
    return "dp3q-py-%s-%s" % (module, uuid.uuid4().hex[:8])


class Worker:
    """A real dp3q-worker JVM with the stand-in as DP3; stopped by its pid."""

    def __init__(self, broker_uri, workdir, slots=2, tag="py"):
        self.record = workdir / ("standin-%s.log" % tag)
        self.log = open(workdir / ("worker-%s.out" % tag), "ab")
        env = dict(os.environ, STANDIN_RECORD=str(self.record))
        env.pop("DP3Q_BROKER", None)
        self.process = subprocess.Popen(
            [str(WORKER), "--broker", broker_uri, "--slots", str(slots), "--tag", tag, "--tool", "DP3=%s" % STANDIN,
             "--log-dir", str(workdir / ("logs-" + tag)), "--broker-timeout", "120s", "--announce-every", "2s",
             # a fast failure is given back once uncounted and may quarantine the worker: not what these tests are about
             "--quarantine-after", "0"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def starts(self, marker):
        """The stand-in runs whose argv holds marker, as argv lists."""
        if not self.record.exists():
            return []
        runs = []
        for line in self.record.read_text().splitlines():
            parts = line.split(" ")
            if parts[0] == "start" and marker in parts[4:]:
                runs.append(parts[4:])
        return runs

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()
