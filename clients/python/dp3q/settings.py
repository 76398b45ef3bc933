"""Where the broker is and how to log in, resolved as the dp3q commands do: argument, then environment, then default.

DP3Q_BROKER holds the URI (amqp:// or amqps://, the vhost as its path, several cluster nodes as a comma-separated
host list); the password may come from DP3Q_BROKER_PASSWORD_FILE or DP3Q_BROKER_PASSWORD instead of the URI;
DP3Q_BROKER_CA_FILE, DP3Q_BROKER_CERT_FILE and DP3Q_BROKER_KEY_FILE configure TLS for amqps://.
"""
import os
import re
import ssl
import urllib.parse

import pika

DEFAULT_URI = "amqp://guest:guest@localhost:5672/"
_URI_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]*")


def masked(text):
    """text with the password of every URI in it replaced by ****, for messages and logs."""
    def mask_one(match):
        uri = match.group(0)
        start = uri.index("://") + 3
        query = uri.find("?", start)
        at = uri.rfind("@", 0, len(uri) if query < 0 else query)
        colon = uri.find(":", start)
        if at < start or colon < 0 or colon > at:
            return uri
        return uri[:colon + 1] + "****" + uri[at:]
    return _URI_TOKEN.sub(mask_one, text) if text else text


class BrokerSettings:
    """A broker URI with its password and TLS files; connection_parameters() gives pika one entry per node."""

    def __init__(self, uri=None, password_file=None, ca_file=None, cert_file=None, key_file=None, broker_timeout=300.0,
                 env=None):
        env = os.environ if env is None else env
        self.uri = (uri or env.get("DP3Q_BROKER") or DEFAULT_URI).strip()
        self.password_file = password_file or env.get("DP3Q_BROKER_PASSWORD_FILE") or None
        self._env_password = env.get("DP3Q_BROKER_PASSWORD")
        self.ca_file = ca_file or env.get("DP3Q_BROKER_CA_FILE") or None
        self.cert_file = cert_file or env.get("DP3Q_BROKER_CERT_FILE") or None
        self.key_file = key_file or env.get("DP3Q_BROKER_KEY_FILE") or None
        self.broker_timeout = broker_timeout
        self._parse()

    def _parse(self):
        scheme, sep, rest = self.uri.partition("://")
        if not sep or scheme not in ("amqp", "amqps"):
            raise ValueError("broker URI must start with amqp:// or amqps://: %s" % masked(self.uri))
        self.tls = scheme == "amqps"
        if (self.ca_file or self.cert_file) and not self.tls:
            raise ValueError("a CA file or client certificate needs an amqps:// broker URI, not %s" % masked(self.uri))
        authority, _, path = rest.partition("/")
        path = path.partition("?")[0]
        userinfo, at, hosts = authority.rpartition("@")
        user, _, password = userinfo.partition(":") if at else ("", "", "")
        self.user = urllib.parse.unquote(user) or "guest"
        self.uri_password = urllib.parse.unquote(password) if password else None
        self.vhost = urllib.parse.unquote(path) if path else "/"
        default_port = 5671 if self.tls else 5672
        self.nodes = [self._node(host.strip(), default_port) for host in hosts.split(",")]

    def _node(self, host, default_port):
        if not host:
            raise ValueError("broker URI %s has an empty host" % masked(self.uri))
        name, port = host, default_port
        colon = host.rfind(":")
        if colon > 0 and (not host.startswith("[") or colon > host.index("]")):
            name = host[:colon]
            try:
                port = int(host[colon + 1:])
            except ValueError:
                port = -1
            if not 0 < port < 65536:
                raise ValueError("broker URI %s: '%s' has no valid port" % (masked(self.uri), host))
        return name.strip("[]"), port

    @property
    def masked_uri(self):
        return masked(self.uri)

    def password(self):
        """The password file first, then DP3Q_BROKER_PASSWORD, then the URI's, then guest."""
        if self.password_file:
            try:
                with open(self.password_file, encoding="utf-8") as f:
                    return f.read().strip()
            except OSError as e:
                raise ValueError("cannot read broker password file %s: %s" % (self.password_file, e.strerror)) from None
        return self._env_password or self.uri_password or "guest"

    def _ssl_options(self, host):
        if not self.tls:
            return None
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.cert_file:
            context.load_cert_chain(self.cert_file, self.key_file)
        return pika.SSLOptions(context, host)

    def connection_parameters(self, name="dp3q python client"):
        credentials = pika.PlainCredentials(self.user, self.password())
        return [pika.ConnectionParameters(host=host, port=port, virtual_host=self.vhost, credentials=credentials,
                                          ssl_options=self._ssl_options(host), heartbeat=30,
                                          blocked_connection_timeout=60, connection_attempts=1,
                                          client_properties={"connection_name": name})
                for host, port in self.nodes]

    def connect(self, name="dp3q python client"):
        """A new blocking connection to the first node that answers; raises BrokerUnavailable naming the URI."""
        from .errors import BrokerUnavailable
        try:
            return pika.BlockingConnection(self.connection_parameters(name))
        except pika.exceptions.ProbableAuthenticationError:
            raise BrokerUnavailable("broker %s refused the login of user %s" % (self.masked_uri, self.user)) from None
        except pika.exceptions.AMQPError as e:
            raise BrokerUnavailable("broker %s unreachable: %s" % (self.masked_uri, masked(repr(e)))) from None
