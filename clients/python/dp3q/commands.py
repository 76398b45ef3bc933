"""replay and cancel through the dp3q command line, whose code owns those moves (a replay republishes before it
removes, a cancel is a broadcast workers act on). The command is $DP3Q_CLI, else dp3q on PATH."""
import os
import shutil
import subprocess

from .errors import Dp3qError

EXIT_BROKER = 3


class CommandFailed(Dp3qError):
    def __init__(self, command, code, output):
        self.code, self.output = code, output
        super().__init__("%s exited %d: %s" % (command, code, output.strip()))


def run(settings, command, args, dp3q=None):
    """Runs 'dp3q COMMAND ARGS' against the client's broker; returns its output, raises CommandFailed."""
    program = dp3q or os.environ.get("DP3Q_CLI") or shutil.which("dp3q")
    if not program:
        raise Dp3qError("client.%s needs the dp3q command line: put dp3q on PATH or name it in DP3Q_CLI" % command)
    env = dict(os.environ, DP3Q_BROKER=settings.uri, DP3Q_BROKER_PASSWORD=settings.password())
    env.pop("DP3Q_BROKER_PASSWORD_FILE", None)
    for name, value in (("DP3Q_BROKER_CA_FILE", settings.ca_file), ("DP3Q_BROKER_CERT_FILE", settings.cert_file),
                        ("DP3Q_BROKER_KEY_FILE", settings.key_file)):
        if value:
            env[name] = value
    done = subprocess.run([program, command] + list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if done.returncode != 0:
        raise CommandFailed("dp3q " + command, done.returncode, done.stdout)
    return done.stdout
