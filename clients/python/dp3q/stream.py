"""Reading RabbitMQ streams without taking anything away from other readers, on a pika blocking connection.

AMQP has no "end of stream": a reader appends a catch-up marker of its own (type dp3q.marker, a unique message id,
empty body, confirmed) and has read everything that was there when it reads the marker back.
"""
import time
import uuid

import pika

from . import topology

PREFETCH = 1000
_ACK_EVERY = 200
_PERSISTENT = 2


class Record:
    """One delivered stream record: its properties, body and numeric offset."""
    __slots__ = ("properties", "body", "offset")

    def __init__(self, properties, body, offset):
        self.properties, self.body, self.offset = properties, body, offset

    @property
    def type(self):
        return self.properties.type

    def header(self, name):
        headers = self.properties.headers or {}
        value = headers.get(name)
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else value

    def is_marker(self, marker_id=None):
        return self.type == topology.MARKER_TYPE and (marker_id is None or self.properties.message_id == marker_id)


def append_marker(connection, exchange):
    """Appends a new catch-up marker through the stream's exchange, confirmed; returns its id."""
    channel = connection.channel()
    try:
        channel.confirm_delivery()
        return publish_marker(channel, exchange)
    finally:
        if channel.is_open:
            channel.close()


def publish_marker(channel, exchange):
    """Appends a new catch-up marker on channel, a blocking channel with confirms on; returns its id once confirmed."""
    marker_id = str(uuid.uuid4())
    channel.basic_publish(exchange, "", b"", pika.BasicProperties(type=topology.MARKER_TYPE, message_id=marker_id,
                                                                   delivery_mode=_PERSISTENT))
    return marker_id


class StreamSubscription:
    """A subscription to a stream from an offset ('first', 'next', a number or a datetime); on_record per record."""

    def __init__(self, connection, stream, offset, on_record):
        self.channel = connection.channel()
        self.channel.basic_qos(prefetch_count=PREFETCH)
        self._on_record = on_record
        self.tag = self.channel.basic_consume(stream, self._deliver, arguments={"x-stream-offset": offset})

    def _deliver(self, channel, method, properties, body):
        offset = (properties.headers or {}).get("x-stream-offset")
        if method.delivery_tag % _ACK_EVERY == 0:
            channel.basic_ack(method.delivery_tag, multiple=True)
        self._on_record(Record(properties, body, offset))

    def close(self):
        """Ends the subscription, passing over what is still on its way. pika rejects, on a cancel, the records that
        arrived for a consumer that acks and were not handed to it yet, and those that arrive until the broker has
        taken the cancel; a stream answers a reject by closing the whole connection. So the consumer is told apart
        to pika as one it must not reject for (a record a stream delivered needs no answer once its consumer is
        gone)."""
        try:
            if self.channel.is_open:
                # pika 1.x keeps both in these attributes; without them, the close is pika's own
                info = getattr(self.channel, "_consumer_infos", {}).get(self.tag)
                if info is not None:
                    info.auto_ack = True
                getattr(self.channel._impl, "_consumers_with_noack", set()).add(self.tag)
                self.channel.close()
        except pika.exceptions.AMQPError:
            pass


class Read:
    """One stream to read up to a catch-up marker: from offset, each record to on_record. marker_id: a marker already
    appended (several reads from further back may end at the same one), else one is appended."""

    def __init__(self, stream, exchange, offset, on_record, marker_id=None):
        self.stream, self.exchange, self.offset, self.on_record = stream, exchange, offset, on_record
        self.marker_id, self.marker_offset = marker_id, None

    def deliver(self, record):
        if self.marker_id is not None and record.is_marker(self.marker_id):
            self.marker_offset = record.offset
        elif self.marker_offset is None:
            self.on_record(record)


def read_until_markers(connection, reads, timeout=30.0):
    """Runs the reads at once (one round trip for all, not one after the other); returns each marker's offset."""
    subscriptions = [StreamSubscription(connection, read.stream, read.offset, read.deliver) for read in reads]
    try:
        for read in reads:
            read.marker_id = read.marker_id or append_marker(connection, read.exchange)
        return wait_for_markers(connection, reads, timeout)
    finally:
        for subscription in subscriptions:
            subscription.close()


def wait_for_markers(connection, reads, timeout):
    """Processes deliveries until every one of reads (each with .stream and .marker_offset, None until its marker came
    back) has its marker; returns the markers' offsets."""
    deadline = time.monotonic() + timeout
    while any(read.marker_offset is None for read in reads):
        connection.process_data_events(time_limit=0.2)
        if time.monotonic() > deadline:
            late = [read.stream for read in reads if read.marker_offset is None]
            raise TimeoutError("my catch-up marker did not come back within %.0f s on %s" % (timeout, ", ".join(late)))
    return [read.marker_offset for read in reads]


def read_until_marker(connection, stream, exchange, offset, on_record, timeout=30.0, marker_id=None):
    """Feeds on_record every record from offset up to a marker appended now (or the one given, appended earlier);
    returns the marker's offset."""
    return read_until_markers(connection, [Read(stream, exchange, offset, on_record, marker_id)], timeout)[0]
