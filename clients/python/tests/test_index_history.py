"""The batch index of a site after weeks, on a real broker: the client still finds a batch opened thousands of
batches ago through the summaries look-ups leave, so resubmitting it leaves its queued tasks alone."""
import json
import uuid

import pika

import dp3q
from dp3q import index, topology


def open_other_batches(broker_uri, count):
    connection = pika.BlockingConnection(pika.URLParameters(broker_uri))
    try:
        # the index exists whichever test of this module runs first
        topology.declare(connection, ["default"])
        channel = connection.channel()
        channel.confirm_delivery()
        for i in range(count):
            other = "other-%s-%d" % (uuid.uuid4().hex[:6], i)
            channel.basic_publish(topology.BATCHES_EXCHANGE, "", json.dumps(
                {"schema": "dp3q.batch/1", "batch": other, "events_offset": 0, "by": "submit"}).encode(),
                pika.BasicProperties(type=index.OPENED_TYPE, content_type="application/json",
                                     headers={topology.BATCH_HEADER: other, index.EVENTS_OFFSET_HEADER: 0}))
    finally:
        connection.close()


def summaries(broker_uri):
    """The through of every summary in the index, read with pika."""
    connection = pika.BlockingConnection(pika.URLParameters(broker_uri))
    try:
        found = []
        dp3q.stream.read_until_marker(connection, topology.BATCHES_STREAM, topology.BATCHES_EXCHANGE, "first",
                                      lambda r: found.append(r.header(index.SUMMARY_THROUGH_HEADER))
                                      if r.type == index.SUMMARY_TYPE else None)
        return found
    finally:
        connection.close()


def test_a_batch_queued_before_hundreds_of_others_is_found_through_a_summary(broker_uri):
    tasks = [dp3q.Task(args=["tag=long-ago", "chunk=%d" % i]) for i in range(2)]
    with dp3q.Client(broker_uri) as client:
        assert len(client.submit("long-ago", tasks).published) == 2
        open_other_batches(broker_uri, index.TAIL + 100)
        # the first look-up over that history reads it whole and leaves a summary behind
        client.submit("first-after", [dp3q.Task(args=["tag=first-after"])])
        assert summaries(broker_uri)
        open_other_batches(broker_uri, 150)

        again = client.submit("long-ago", tasks)

        assert again.published == [] and sorted(again.left_alone) == ["long-ago/0", "long-ago/1"]


def test_a_look_up_over_a_long_index_reads_its_tail_and_a_summary_not_the_whole_index(broker_uri, monkeypatch):
    with dp3q.Client(broker_uri) as client:
        open_other_batches(broker_uri, 3 * index.TAIL)
        client.submit("writes-a-summary", [dp3q.Task(args=["tag=writes-a-summary"])])
    read = []
    for cls in (index.IndexState, index.IndexTail):
        monkeypatch.setattr(cls, "offer", (lambda offer: lambda self, record: (read.append(record.offset), offer(self, record)))(cls.offer))
    connection = pika.BlockingConnection(pika.URLParameters(broker_uri))
    try:
        state = index.index_state(connection)
    finally:
        connection.close()

    assert state.start("writes-a-summary") is not None and state.start("long-ago") is not None
    # the tail is offered to IndexTail, then what follows the summary to IndexState: the same records twice; the
    # look-up before left a summary among the last records, so the short tail holds it (the long one: 200 records)
    assert len(set(read)) <= index.NEAR_TAIL + 10, "records read: %d" % len(set(read))
