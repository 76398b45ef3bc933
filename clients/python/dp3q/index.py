"""The batch index, stream dp3q.batches: where in dp3q.events each batch begins, so a reader of one batch reads
that batch's stretch of the stream and not its whole history.

A look-up reads the index's last TAIL records (the last NEAR_TAIL first) and goes on from the newest summary among
them (a record holding the whole index's state up to an offset), so its cost does not grow with the index; it writes
a new summary every SUMMARY_EVERY records. The protocol is docs/design/batch-reads.md, section 2, as BatchIndex.java does it."""
import gzip
import json
import time

import pika

from . import stream, topology

OPENED_TYPE = "dp3q.batch-opened"
SUMMARY_TYPE = "dp3q.batch-summary"
SUMMARY_SCHEMA = "dp3q.batch-summary/1"
SUMMARY_THROUGH_HEADER = "dp3q-summary-through"
EVENTS_OFFSET_HEADER = "dp3q-events-offset"
TAIL = 200
# the last NEAR_TAIL records first: they hold the newest summary unless 14 records or more came since the last
# look-up; only then the last TAIL (a broker delivers an index record in about 0.15 ms)
NEAR_TAIL = 64
TAILS = (NEAR_TAIL, TAIL)
SUMMARY_EVERY = 50
FORGET_AFTER_S = 8 * 86400


def find_batch_start(connection, batch):
    """The events offset batch begins at (a number, or 'first'), or None when the batch is not indexed."""
    return index_state(connection).start(batch)


def index_state(connection, also=()):
    """Where every batch begins, as of now: read from the newest summary in the index's tail on, else whole. also:
    reads (stream.Read) to run in the same round trip as the first read, which finds where the index ends."""
    state, _, summary_through = read_state(connection, also)
    if state.through - summary_through >= SUMMARY_EVERY:
        summarise(connection, state, state.now)
    return state


def read_state(connection, also=()):
    """(the index's state as of now, the offset of the marker it was read up to, the newest summary's 'through' among
    the records read, -1 when none): index_state without writing a summary."""
    now = int(time.time())
    # a marker appended after subscribing from "next" comes back at where the index ends; the tail is read up to
    # that same marker
    first = stream.Read(topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, "next", lambda record: None)
    end = stream.read_until_markers(connection, [first, *also])[0]
    marker = first.marker_id
    for depth in TAILS:
        tail = IndexTail()
        stream.read_until_marker(connection, topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, max(0, end - depth),
                                 tail.offer, marker_id=marker)
        state = tail.from_summary(now)
        if state is not None or end <= depth:
            break
    if state is None and end <= depth:
        state = tail.from_records(now)
    elif state is None:
        state = IndexState(now)
        stream.read_until_marker(connection, topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, "first", state.offer,
                                 marker_id=marker)
    return state, end, tail.summary_through


class IndexState:
    """Where every batch begins, from index records taken in order up to offset through: the smallest events offset
    recorded for it, else where a worker's record of it resolves to (the last offset recorded before it, else the
    stream's start)."""

    def __init__(self, now, batches=None, last_known=None, through=-1):
        self.now, self.last_known, self.through = now, last_known, through
        # name -> [exact, from_worker, worker_bound, seen]
        self.batches = batches if batches is not None else {}

    def offer(self, record):
        if isinstance(record.offset, int):
            if record.offset <= self.through:
                return
            self.through = record.offset
        if record.type != OPENED_TYPE:
            return
        named, offset = record.header(topology.BATCH_HEADER), record.header(EVENTS_OFFSET_HEADER)
        if not _is_offset(offset):
            try:
                entry = json.loads(record.body)
                offset = entry.get("events_offset")
                if entry.get("batch") != named:
                    named = None
            except (ValueError, AttributeError):
                return
        if not _is_offset(offset):
            offset = None
        if named is not None:
            self._note(named, offset)
        if offset is not None:
            self.last_known = offset

    def _note(self, batch, offset):
        entry = self.batches.get(batch)
        if offset is not None:
            if entry is None:
                self.batches[batch] = [offset, False, None, self.now]
            elif entry[0] is None or offset < entry[0]:
                entry[0] = offset
        elif entry is None:
            self.batches[batch] = [None, True, self.last_known, self.now]
        elif not entry[1]:
            entry[1], entry[2] = True, self.last_known

    def start(self, batch):
        """The events offset batch begins at, 'first', or None when it is not indexed."""
        entry = self.batches.get(batch)
        if entry is None:
            return None
        if entry[0] is not None:
            return entry[0]
        return entry[2] if entry[2] is not None else "first"


class IndexTail:
    """The index's last records as read, and the newest summary among them (only that one is unzipped)."""

    def __init__(self):
        self.records, self.summary, self.summary_through, self.first_offset = [], None, -1, None

    def offer(self, record):
        if self.first_offset is None:
            self.first_offset = record.offset
        through = record.header(SUMMARY_THROUGH_HEADER) if record.type == SUMMARY_TYPE else None
        if _is_offset(through):
            if through > self.summary_through:
                self.summary, self.summary_through = record, through
        else:
            self.records.append(record)

    def from_summary(self, now):
        """The state from the newest summary and the records after it; None when there is none, or it leaves a gap."""
        if self.summary is None or self.first_offset is None or self.summary_through < self.first_offset - 1:
            return None
        try:
            state = read_summary(self.summary.body, now)
        except (ValueError, OSError, EOFError, TypeError, KeyError, IndexError):
            # the look-up reads the whole index instead and writes a summary that replaces this one
            self.summary, self.summary_through = None, -1
            return None
        for record in self.records:
            state.offer(record)
        return state

    def from_records(self, now):
        state = IndexState(now)
        for record in self.records:
            state.offer(record)
        return state


def read_summary(body, now):
    summary = json.loads(gzip.decompress(body))
    if summary.get("schema") != SUMMARY_SCHEMA or not _is_offset(summary.get("through")):
        raise ValueError("not a %s record" % SUMMARY_SCHEMA)
    batches = {}
    for name, exact, from_worker, worker_bound, seen in summary["batches"]:
        batches[str(name)] = [exact, bool(from_worker), worker_bound, int(seen)]
    return IndexState(now, batches, summary.get("last_known"), summary["through"])


def summary_body(state, forget_before):
    batches = [[name] + entry for name, entry in state.batches.items() if entry[3] >= forget_before]
    return gzip.compress(json.dumps({"schema": SUMMARY_SCHEMA, "through": state.through, "last_known": state.last_known,
                                     "batches": batches}, separators=(",", ":")).encode())


def summarise(connection, state, now):
    """Appends a summary of state; best effort: one not written costs the next look-up time, never a wrong answer."""
    body = summary_body(state, now - FORGET_AFTER_S)
    channel = None
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.BATCHES_EXCHANGE, "", body, pika.BasicProperties(
            content_type="application/json", content_encoding="gzip", delivery_mode=2, type=SUMMARY_TYPE,
            headers={SUMMARY_THROUGH_HEADER: state.through}))
    except pika.exceptions.AMQPError:
        pass
    finally:
        if channel is not None and channel.is_open:
            channel.close()


def _is_offset(value):
    return isinstance(value, int) and not isinstance(value, bool)


def publish_opened(publisher, batch, events_offset):
    """Records (through a ConfirmedPublisher) that batch begins at events_offset. Readers that look before it is
    confirmed read the batch from the stream's start, so it may be confirmed along with the batch's first events."""
    body = {"schema": "dp3q.batch/1", "batch": batch, "events_offset": events_offset, "by": "submit"}
    publisher.publish(topology.BATCHES_EXCHANGE, "", json.dumps(body).encode(),
                      pika.BasicProperties(content_type="application/json", delivery_mode=2, type=OPENED_TYPE,
                                           message_id="opened:" + batch,
                                           headers={topology.BATCH_HEADER: batch, EVENTS_OFFSET_HEADER: events_offset}))
