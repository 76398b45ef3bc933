"""The barrier: follows one batch on dp3q.events until every task has ended, riding through broker restarts.

It reads from where the batch index says the batch begins (else from the stream's start), skips other batches'
records by their header, and counts the state only once its own catch-up marker came back: a batch that ended with
failures an hour ago and was replayed since must not look finished halfway through its history. After a reconnect
it reads the batch again from its start and folds from scratch. A subscription quiet for 10 s is probed with a
marker; when even that does not come back within 10 s the batch is read again.
"""
import logging
import time

import pika

from . import index, stream, topology
from .errors import BrokerUnavailable, UnknownBatch, WaitTimeout
from .fold import BatchFold

QUIET = 10.0
PROBE_TIMEOUT = 10.0
RECONNECT_DELAY = 1.0
_log = logging.getLogger("dp3q")


class _ReadAgain(Exception):
    """The subscription went silent: read the batch again on a new one."""


class BatchWaiter:
    """grace: how long a batch nothing is known of may stay unknown before wait gives up (not when expect is given).
    connections: the client's (connected() gives its open connection with the topology declared, look_up() where the
    batch begins and a catch-up marker, lost() forgets it), so a wait right after a submit starts reading at once; by
    default a connection of the waiter's own."""

    def __init__(self, settings, batch, expected=None, timeout=None, progress=None, grace=60.0, connections=None):
        self.settings, self.batch, self.expected = settings, batch, expected
        self.connections = connections or _OwnConnection(settings, "dp3q wait " + batch)
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.unknown_until = None if expected is not None else time.monotonic() + grace
        self.progress_callback = progress

    def run(self):
        """The batch's BatchProgress once complete; raises WaitTimeout or BrokerUnavailable."""
        lost_since = None
        try:
            while True:
                try:
                    connection = self.connections.connected()
                    lost_since = None
                    return self._follow(connection)
                except _ReadAgain:
                    _log.info("batch %s: the event stream went quiet; reading it again", self.batch)
                except (pika.exceptions.AMQPError, BrokerUnavailable, TimeoutError) as e:
                    self.connections.lost()
                    lost_since = lost_since or time.monotonic()
                    self._give_up_after(lost_since, e)
                    time.sleep(RECONNECT_DELAY)
        finally:
            self.connections.done()

    def _give_up_after(self, lost_since, cause):
        if time.monotonic() - lost_since > self.settings.broker_timeout:
            raise BrokerUnavailable("broker %s unreachable for more than %.0f s; batch %s goes on without us (%s)"
                                    % (self.settings.masked_uri, self.settings.broker_timeout, self.batch, cause)) from None
        self._check_deadline(None)

    def _follow(self, connection):
        start, marker = self.connections.look_up(connection, self.batch)
        fold = BatchFold(self.batch, self.expected)
        state = {"caught_up": False, "changed": False, "last": time.monotonic(), "probe": None, "probe_seen": False}

        def on_record(record):
            state["last"] = time.monotonic()
            if record.is_marker():
                state["caught_up"] = state["caught_up"] or record.is_marker(marker)
                state["probe_seen"] = state["probe_seen"] or record.is_marker(state["probe"])
            elif fold.offer(record):
                state["changed"] = True

        subscription = stream.StreamSubscription(connection, topology.EVENTS_STREAM, start, on_record)
        try:
            while True:
                connection.process_data_events(time_limit=0.25)
                if state["caught_up"] and fold.progress.is_complete():
                    return fold.progress
                if state["changed"] and self.progress_callback is not None:
                    state["changed"] = False
                    self.progress_callback(fold.progress)
                self._check_liveness(connection, state)
                self._check_deadline(fold.progress)
                self._check_known(state["caught_up"], fold.progress)
        finally:
            subscription.close()

    def _check_liveness(self, connection, state):
        quiet = time.monotonic() - state["last"]
        if quiet < QUIET:
            return
        if state["probe"] is None or state["probe_seen"]:
            state["probe"], state["probe_seen"] = stream.append_marker(connection, topology.EVENTS_EXCHANGE), False
            state["probe_sent"] = time.monotonic()
        elif time.monotonic() - state["probe_sent"] > PROBE_TIMEOUT:
            raise _ReadAgain()

    def _check_known(self, caught_up, progress):
        if self.unknown_until is None or not caught_up:
            return
        if progress.tasks:
            self.unknown_until = None
        elif time.monotonic() > self.unknown_until:
            raise UnknownBatch("nothing is known of batch %s on %s: no task of it was ever submitted there (pass "
                               "expect= to wait for one yet to be published)" % (self.batch, self.settings.masked_uri))

    def _check_deadline(self, progress):
        if self.deadline is not None and time.monotonic() > self.deadline:
            counts = "" if progress is None else ": " + ", ".join(
                "%d %s" % (n, s.value) for s, n in progress.counts().items() if n)
            raise WaitTimeout("timeout passed before batch %s finished%s" % (self.batch, counts))


class _OwnConnection:
    """A connection of the waiter's own, with the shared topology declared; closed when the wait ends."""

    def __init__(self, settings, name):
        self.settings, self.name, self.connection = settings, name, None

    def connected(self):
        if self.connection is None or not self.connection.is_open:
            self.connection = self.settings.connect(self.name)
            topology.declare(self.connection, ())
        return self.connection

    def look_up(self, connection, batch):
        """(where the batch begins in the events, a catch-up marker appended to them now)."""
        start = index.find_batch_start(connection, batch) or "first"
        return start, stream.append_marker(connection, topology.EVENTS_EXCHANGE)

    def lost(self):
        self.done()

    def done(self):
        try:
            if self.connection is not None and self.connection.is_open:
                self.connection.close()
        except pika.exceptions.AMQPError:
            pass
        self.connection = None
