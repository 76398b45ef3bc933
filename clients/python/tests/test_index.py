"""The batch index read as BatchIndex.java reads it: a summary and the records after it say what the whole index
says; the summary's body is the one documented in schemas/examples/index/summary.json, which Java reads too."""
import gzip
import json
import pathlib
import random

from dp3q import index, topology
from dp3q.stream import Record

REPO = pathlib.Path(__file__).resolve().parents[3]
NOW = 1_800_000_000
BATCHES = ["cal-0", "cal-1", "img-0", "other"]


class Props:
    def __init__(self, type_, headers):
        self.type, self.headers, self.message_id = type_, headers, None


def opened(offset, batch, events_offset, header=True):
    headers = {topology.BATCH_HEADER: batch}
    if header and events_offset is not None:
        headers[index.EVENTS_OFFSET_HEADER] = events_offset
    body = {"schema": "dp3q.batch/1", "batch": batch, "by": "submit" if events_offset is not None else "worker"}
    if events_offset is not None:
        body["events_offset"] = events_offset
    return Record(Props(index.OPENED_TYPE, headers), json.dumps(body).encode(), offset)


def summary_record(state, offset):
    return Record(Props(index.SUMMARY_TYPE, {index.SUMMARY_THROUGH_HEADER: state.through}),
                  index.summary_body(state, 0), offset)


def test_the_documented_summary_reads_as_java_reads_it_and_writes_back_the_same():
    example = (REPO / "schemas" / "examples" / "index" / "summary.json").read_bytes()
    state = index.read_summary(gzip.compress(example), NOW)
    assert (state.start("cal-0"), state.start("cal-1"), state.start("raw-0"), state.start("raw-first")) == \
        (120, 480, 930, "first")
    assert (state.through, state.last_known) == (41, 930)
    written, expected = json.loads(gzip.decompress(index.summary_body(state, 0))), json.loads(example)
    assert sorted(written.pop("batches")) == sorted(expected.pop("batches"), key=lambda b: b)
    assert written == expected


def test_a_summary_and_the_records_after_it_give_every_batch_the_start_the_whole_index_gives():
    rng = random.Random(12)
    for _ in range(300):
        records, events = [], 0
        for offset in range(rng.randint(1, 60)):
            events += rng.randint(0, 50)
            batch, kind = rng.choice(BATCHES), rng.randint(0, 3)
            if kind == 0:
                records.append(opened(offset, batch, None))
            elif kind == 1:
                records.append(opened(offset, batch, events, header=False))
            elif kind == 2:
                records.append(Record(Props(topology.MARKER_TYPE, {}), b"", offset))
            else:
                records.append(opened(offset, batch, events))
        cut = rng.randint(1, len(records))
        whole, prefix = index.IndexState(NOW), index.IndexState(NOW)
        for record in records:
            whole.offer(record)
        for record in records[:cut]:
            prefix.offer(record)
        # the tail read back from before the cut: records the summary already holds are passed over
        tail = index.IndexTail()
        for record in records[max(0, cut - 5):]:
            tail.offer(record)
        tail.offer(summary_record(prefix, 1000))
        resumed = tail.from_summary(NOW)
        assert resumed is not None
        assert [resumed.start(b) for b in BATCHES] == [whole.start(b) for b in BATCHES]
        assert (resumed.last_known, resumed.through) == (whole.last_known, whole.through)


def test_a_summary_that_leaves_a_gap_or_cannot_be_read_is_not_used():
    state = index.IndexState(NOW)
    state.offer(opened(100, "a", 1))
    gap = index.IndexTail()
    gap.offer(opened(150, "b", 2))
    gap.offer(summary_record(state, 151))
    assert gap.from_summary(NOW) is None
    bad = index.IndexTail()
    bad.offer(opened(7, "a", 1))
    bad.offer(Record(Props(index.SUMMARY_TYPE, {index.SUMMARY_THROUGH_HEADER: 7}), b"not gzip", 8))
    assert bad.from_summary(NOW) is None and bad.summary_through == -1
    assert bad.from_records(NOW).start("a") == 1


def test_a_summary_forgets_batches_it_has_held_past_the_retention():
    state = index.IndexState(NOW - 9 * 86400)
    state.offer(opened(0, "last-week", 1))
    state.now = NOW
    state.offer(opened(1, "today", 2))
    kept = index.read_summary(index.summary_body(state, NOW - index.FORGET_AFTER_S), NOW)
    assert (kept.start("last-week"), kept.start("today")) == (None, 2)
