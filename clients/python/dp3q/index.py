"""The batch index, stream dp3q.batches: where in dp3q.events each batch begins, so a reader of one batch reads
that batch's stretch of the stream and not its whole history."""
import datetime
import json

import pika

from . import stream, topology

OPENED_TYPE = "dp3q.batch-opened"
RECENT = (datetime.timedelta(days=1), None)
WHOLE = (None,)


def find_batch_start(connection, batch, windows=RECENT):
    """The events offset batch begins at (a number, or 'first'), or None when the batch is not indexed. windows: how
    far back to read the index, one after the other until found (None: all of it). A batch about to be opened is
    usually not there, and then the whole index is read anyway: WHOLE reads it once."""
    now = datetime.datetime.now(datetime.timezone.utc)
    # one marker bounds every window: each read goes from further back up to the same point
    marker = stream.append_marker(connection, topology.BATCHES_EXCHANGE)
    for window in windows:
        found = _scan(connection, batch, "first" if window is None else now - window, marker)
        if found is not None:
            return found
    return None


def _scan(connection, batch, since, marker):
    found = {"best": None, "worker": None, "last": None}

    def on_record(record):
        if record.type != OPENED_TYPE:
            return
        try:
            entry = json.loads(record.body)
            named, offset = entry.get("batch"), entry.get("events_offset")
        except (ValueError, AttributeError):
            return
        if isinstance(offset, int) and not isinstance(offset, bool):
            found["last"] = offset
            if named == batch and (found["best"] is None or offset < found["best"]):
                found["best"] = offset
        elif named == batch and found["worker"] is None:
            # a worker met a task published without dp3q submit: the batch begins after the last known start
            found["worker"] = found["last"] if found["last"] is not None else "first"

    stream.read_until_marker(connection, topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, since, on_record,
                              marker_id=marker)
    return found["best"] if found["best"] is not None else found["worker"]


def batch_start_here(connection):
    """The offset the events stream ends at now: every record appended from here on comes after it."""
    return stream.read_until_marker(connection, topology.EVENTS_STREAM, topology.EVENTS_EXCHANGE, "next",
                                    lambda record: None)


def publish_opened(publisher, batch, events_offset):
    """Records (through a ConfirmedPublisher) that batch begins at events_offset. Readers that look before it is
    confirmed read the batch from the stream's start, so it may be confirmed along with the batch's first events."""
    body = {"schema": "dp3q.batch/1", "batch": batch, "events_offset": events_offset, "by": "submit"}
    publisher.publish(topology.BATCHES_EXCHANGE, "", json.dumps(body).encode(),
                      pika.BasicProperties(content_type="application/json", delivery_mode=2, type=OPENED_TYPE,
                                           message_id="opened:" + batch, headers={topology.BATCH_HEADER: batch}))
