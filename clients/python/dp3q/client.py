"""The dp3q client a Python pipeline uses: submit a batch, wait on it (the barrier), look at and replay failures."""
import collections

import pika

from . import commands, publish, stream, topology
from .confirms import HeldPublisher
from .follow import Followers
from .failed import peek_failed
from .fold import BatchFold
from .index import find_batch_start
from .results import BatchCancelled, BatchFailed, BatchResult
from .settings import BrokerSettings
from .tasks import dp3_chunks, prepare
from .waiting import BatchWaiter

BatchStatus = collections.namedtuple("BatchStatus", "batch total counts outcome")


class Client:
    """A connection to the broker in broker_uri, else $DP3Q_BROKER (password from $DP3Q_BROKER_PASSWORD_FILE or
    $DP3Q_BROKER_PASSWORD when not in the URI; amqps:// with $DP3Q_BROKER_CA_FILE ...). Not thread-safe."""

    def __init__(self, broker_uri=None, password_file=None, broker_timeout=300.0, dp3q=None, **tls):
        self.settings = BrokerSettings(broker_uri, password_file=password_file, broker_timeout=broker_timeout, **tls)
        self.dp3q = dp3q
        self._connection = None
        self._declared = set()
        self._followers = None
        self._publisher = None

    def _connected(self):
        if self._connection is None or not self._connection.is_open:
            self._connection = self.settings.connect("dp3q python client")
            topology.declare(self._connection, ())
            self._declared = set()
            self._followers = Followers(self._connection)
            self._publisher = HeldPublisher(self._connection)
        return self._connection

    def _on_broker(self, call):
        """call(connection); once more on a new connection when the one held was lost (a broker restart, a dropped
        link): every call here is safe to repeat."""
        try:
            return call(self._connected())
        except pika.exceptions.AMQPConnectionError:
            self._drop()
            return call(self._connected())

    def _drop(self):
        """Forgets a connection that was lost (closing what may be left of it)."""
        try:
            self._close_open()
        except pika.exceptions.AMQPError:
            pass
        self._connection, self._followers, self._publisher = None, None, None

    def close(self):
        self._close_open()
        self._connection, self._followers, self._publisher = None, None, None

    def _close_open(self):
        if self._connection is not None and self._connection.is_open:
            if self._followers is not None:
                self._followers.close()
            self._connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def submit(self, batch, tasks):
        """Validates and publishes tasks (dicts or Task objects) of batch; returns when the broker confirmed every one,
        else raises SubmitNotConfirmed naming those it did not. Tasks of the batch already live with the same contents
        are left alone (submitting again is safe); live with other contents: ConflictingTasks, nothing published."""
        prepared = prepare(batch, tasks)
        return self._on_broker(lambda connection: publish.submit(connection, batch, prepared, self._followers,
                                                                 self._publisher, self._declared))

    def submit_chunks(self, batch, chunks, ntimes, args=(), first_slot=0, **fields):
        """DP3 time chunks as 'dp3q submit --chunks --ntimes --first-slot --arg': see tasks.dp3_chunks."""
        return self.submit(batch, dp3_chunks(chunks, ntimes, args, first_slot, **fields))

    def wait(self, batch, timeout=None, progress=None, expect=None, grace=60.0):
        """The barrier: a BatchResult once every task succeeded or was skipped; BatchFailed or BatchCancelled when
        the batch ended otherwise; WaitTimeout after timeout seconds; UnknownBatch when nothing is known of the batch
        after grace seconds (unless expect, the batch size, is given). progress(BatchProgress) is called on changes."""
        waiter = BatchWaiter(self.settings, batch, expect, timeout, progress, grace, connections=_Held(self))
        result = BatchResult.of(waiter.run())
        if result.outcome == "cancelled":
            raise BatchCancelled(result)
        if result.outcome == "failed":
            raise BatchFailed(result)
        return result

    def status(self, batch):
        """The batch's state now: total, counts by state, and its outcome ('running' while not complete)."""
        progress = self._on_broker(lambda connection: _read_batch(connection, batch))
        counts = {state.value: n for state, n in progress.counts().items()}
        return BatchStatus(batch, progress.total, counts, progress.outcome())

    def failed(self, batch=None, reason=None):
        """The failed tasks waiting in dp3q.failed (FailedTask), looked at without removing any."""
        return self._on_broker(lambda connection: peek_failed(connection, batch, reason))

    def replay(self, batch, chunks=None):
        """Moves the batch's failed tasks (or only those chunks) back to their queues, as 'dp3q replay'."""
        args = ["--batch", batch] + [a for chunk in (chunks or ()) for a in ("--chunk", str(chunk))]
        return commands.run(self.settings, "replay", args, self.dp3q)

    def cancel(self, batch):
        """Stops the batch's running tasks and drops its queued ones, as 'dp3q cancel'."""
        return commands.run(self.settings, "cancel", ["--batch", batch], self.dp3q)


class _Held:
    """The client's own connection, lent to a wait: reused, dropped when lost, kept open when the wait ends."""

    def __init__(self, client):
        self.client = client

    def connected(self):
        return self.client._connected()

    def look_up(self, connection, batch):
        """From the index and the events the client follows: no subscription of the wait's own for either."""
        known = self.client._followers.look_up()
        return known.state.start(batch) or "first", known.events_marker

    def lost(self):
        self.client._drop()

    def done(self):
        pass


def _read_batch(connection, batch):
    fold = BatchFold(batch)
    start = find_batch_start(connection, batch) or "first"
    stream.read_until_marker(connection, topology.EVENTS_STREAM, topology.EVENTS_EXCHANGE, start, fold.offer)
    return fold.progress
