"""What a client that submits batch after batch keeps following on its connection, so that a submit does not open a
stream subscription of its own each time (the broker takes about 2 ms to start one, and a look-up took three).

- The batch index (dp3q.batches): read once as index.index_state reads it, then followed from where that read ended.
  A look-up appends a catch-up marker and returns the state once the marker has come back, so it knows every index
  record written before the look-up began, as a fresh read does.
- Where the events (dp3q.events) end: followed from "next", records passed over; the end is where a marker appended
  now comes back.

Both markers of a look-up go out before either is waited for. The followers live as long as the connection: a
client that connects again starts new ones.
"""
import collections
import time

from . import index, stream, topology

CATCH_UP_TIMEOUT = 30.0


LookUp = collections.namedtuple("LookUp", "state events_end events_marker")


class _Followed:
    """One stream followed from offset; mark() appends a marker, whose offset is set once it has come back."""

    def __init__(self, connection, stream_name, exchange, offset, on_record):
        self.stream, self.exchange, self.on_record = stream_name, exchange, on_record
        self.marker_id, self.marker_offset = None, None
        self.subscription = stream.StreamSubscription(connection, stream_name, offset, self._deliver)

    def _deliver(self, record):
        if self.marker_id is not None and record.is_marker(self.marker_id):
            self.marker_offset = record.offset
        self.on_record(record)

    def mark(self, channel):
        """Appends a new marker on channel (confirms on)."""
        self.marker_id, self.marker_offset = stream.publish_marker(channel, self.exchange), None

    def close(self):
        self.subscription.close()


class Followers:
    """The index and the events' end, followed on one connection (not thread-safe, as the client)."""

    def __init__(self, connection):
        self.connection = connection
        self.channel = None
        self.state, self.summary_through = None, -1
        self.index, self.events = None, None

    def look_up(self):
        """A LookUp as of now: the index's state, the offset the events end at, and the id of the catch-up marker
        there (a read of the events up to it sees everything written before the look-up)."""
        if self.channel is None or not self.channel.is_open:
            self.channel = self.connection.channel()
            self.channel.confirm_delivery()
        if self.index is None:
            self._start()
        else:
            for followed in (self.index, self.events):
                followed.mark(self.channel)
            stream.wait_for_markers(self.connection, [self.index, self.events], CATCH_UP_TIMEOUT)
            self.state.now = int(time.time())
        if self.state.through - self.summary_through >= index.SUMMARY_EVERY:
            index.summarise(self.connection, self.state, self.state.now)
            # written or not, not again until SUMMARY_EVERY more: one not written costs a reader time, not an answer
            self.summary_through = self.state.through
        return LookUp(self.state, self.events.marker_offset, self.events.marker_id)

    def _start(self):
        """The index read as a fresh look-up reads it, along with the events' end; both then followed."""
        events_end = stream.Read(topology.EVENTS_STREAM, topology.EVENTS_EXCHANGE, "next", lambda record: None)
        self.state, end, self.summary_through = index.read_state(self.connection, also=[events_end])
        # the look-up read up to its marker at end: from there on, every index record goes to the state
        self.index = _Followed(self.connection, topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, end,
                               self._offer_index)
        self.events = _Followed(self.connection, topology.EVENTS_STREAM, topology.EVENTS_EXCHANGE,
                                events_end.marker_offset, lambda record: None)
        self.events.marker_id, self.events.marker_offset = events_end.marker_id, events_end.marker_offset

    def _offer_index(self, record):
        through = record.header(index.SUMMARY_THROUGH_HEADER) if record.type == index.SUMMARY_TYPE else None
        if isinstance(through, int) and not isinstance(through, bool):
            self.summary_through = max(self.summary_through, through)
        self.state.offer(record)

    def close(self):
        """Ends the subscriptions (before the connection closes: see stream.StreamSubscription.close)."""
        for one in (self.index, self.events):
            if one is not None:
                one.close()
