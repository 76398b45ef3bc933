"""A private RabbitMQ node for a test that stops and starts the broker (as the Java ITs' ScratchBroker): its own node
name, ports, data, logs, config and Erlang cookie in a temp dir, on loopback only. The shared broker is never touched."""
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import uuid

import support

SERVER = pathlib.Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
CTL = pathlib.Path("/usr/lib/rabbitmq/bin/rabbitmqctl")


class ScratchBroker:
    def __init__(self):
        if not os.access(SERVER, os.X_OK):
            raise RuntimeError("%s not found: this test stops and starts a broker of its own and needs RabbitMQ installed "
                               "(Debian: apt-get install rabbitmq-server)" % SERVER)
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="dp3q-py-scratch-broker"))
        self.amqp_port, self.management_port, self.dist_port = support.free_ports(3)
        self.node = "dp3q-py-scratch-%s@localhost" % uuid.uuid4().hex[:8]
        self.server = None
        self._write_config()

    def _write_config(self):
        (self.dir / "mnesia").mkdir()
        (self.dir / "log").mkdir()
        cookie = self.dir / ".erlang.cookie"
        cookie.write_text(uuid.uuid4().hex.upper())
        cookie.chmod(0o400)
        (self.dir / "rabbitmq.conf").write_text("\n".join([
            "listeners.tcp.default = 127.0.0.1:%d" % self.amqp_port, "management.tcp.ip = 127.0.0.1",
            "management.tcp.port = %d" % self.management_port, "loopback_users.guest = true",
            "disk_free_limit.absolute = 50MB"]) + "\n")
        (self.dir / "advanced.config").write_text("[].")
        (self.dir / "enabled_plugins").write_text("[rabbitmq_management].")
        (self.dir / "rabbitmq-env.conf").write_text("")

    def _env(self):
        d = self.dir
        return dict(os.environ, HOME=str(d), RABBITMQ_NODENAME=self.node, RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
                    RABBITMQ_NODE_PORT=str(self.amqp_port), RABBITMQ_DIST_PORT=str(self.dist_port),
                    RABBITMQ_MNESIA_BASE=str(d / "mnesia"), RABBITMQ_LOG_BASE=str(d / "log"),
                    RABBITMQ_CONFIG_FILE=str(d / "rabbitmq.conf"), RABBITMQ_ADVANCED_CONFIG_FILE=str(d / "advanced.config"),
                    RABBITMQ_ENABLED_PLUGINS_FILE=str(d / "enabled_plugins"),
                    RABBITMQ_CONF_ENV_FILE=str(d / "rabbitmq-env.conf"), RABBITMQ_PID_FILE=str(d / "node.pid"),
                    ERL_EPMD_ADDRESS="127.0.0.1",
                    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")

    def _ctl(self, *args, timeout=90):
        with open(self.dir / "ctl.out", "ab") as out:
            try:
                return subprocess.run([str(CTL), "-n", self.node, "-q"] + list(args), env=self._env(), stdout=out,
                                      stderr=subprocess.STDOUT, timeout=timeout).returncode
            except subprocess.TimeoutExpired:
                return -1

    def start(self):
        with open(self.dir / "server.out", "ab") as out:
            self.server = subprocess.Popen([str(SERVER)], cwd=self.dir, env=self._env(), stdout=out,
                                           stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while self._ctl("await_startup", "--timeout", "10") != 0:
            if self.server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("scratch broker %s did not start; see %s" % (self.node, self.dir / "log"))
            time.sleep(0.3)
        support.eventually(lambda: self.endpoint().api("GET", "/api/overview"), 60, "the scratch management API")
        return self

    def stop(self):
        """Stops the node gracefully, as an operator would; its data stays for start()."""
        if self.server is None:
            return
        self._ctl("stop")
        try:
            self.server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, 9)
            self.server.wait(10)
        self.server = None

    def endpoint(self):
        return support.Broker("amqp://guest:guest@127.0.0.1:%d/" % self.amqp_port,
                              "http://127.0.0.1:%d" % self.management_port)

    def close(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
