"""The batch index, stream dp3q.batches: where in dp3q.events each batch begins, so a reader of one batch reads
that batch's stretch of the stream and not its whole history."""
import datetime
import json

import pika

from . import stream, topology

OPENED_TYPE = "dp3q.batch-opened"
RECENT = (datetime.timedelta(days=1), None)


def find_batch_start(connection, batch, windows=RECENT):
    """The events offset batch begins at (a number, or 'first'), or None when the batch is not indexed. windows: how
    far back to read the index, one after the other until found (None: all of it)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    # one marker bounds every window: each read goes from further back up to the same point
    marker = stream.append_marker(connection, topology.BATCHES_EXCHANGE)
    for window in windows:
        found = _scan(connection, batch, "first" if window is None else now - window, marker)
        if found is not None:
            return found
    return None


def _scan(connection, batch, since, marker):
    scan = IndexScan(batch)
    stream.read_until_marker(connection, topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, since, scan.offer,
                             marker_id=marker)
    return scan.result()


class IndexScan:
    """Reads index records for one batch: the smallest events offset recorded for it, else where a worker's record of
    it resolves to (the last offset recorded before it, else the stream's start)."""

    def __init__(self, batch):
        self.batch, self.best, self.worker, self.last = batch, None, None, None

    def offer(self, record):
        if record.type != OPENED_TYPE:
            return
        try:
            entry = json.loads(record.body)
            named, offset = entry.get("batch"), entry.get("events_offset")
        except (ValueError, AttributeError):
            return
        if isinstance(offset, int) and not isinstance(offset, bool):
            self.last = offset
            if named == self.batch and (self.best is None or offset < self.best):
                self.best = offset
        elif named == self.batch and self.worker is None:
            # a worker met a task published without dp3q submit: the batch begins after the last known start
            self.worker = self.last if self.last is not None else "first"

    def result(self):
        """The events offset the batch begins at, or None when it is not indexed."""
        return self.best if self.best is not None else self.worker


def publish_opened(publisher, batch, events_offset):
    """Records (through a ConfirmedPublisher) that batch begins at events_offset. Readers that look before it is
    confirmed read the batch from the stream's start, so it may be confirmed along with the batch's first events."""
    body = {"schema": "dp3q.batch/1", "batch": batch, "events_offset": events_offset, "by": "submit"}
    publisher.publish(topology.BATCHES_EXCHANGE, "", json.dumps(body).encode(),
                      pika.BasicProperties(content_type="application/json", delivery_mode=2, type=OPENED_TYPE,
                                           message_id="opened:" + batch, headers={topology.BATCH_HEADER: batch}))
