"""Stream reads on a busy stream, and the index and events a client follows between submits, on the real broker."""
import threading

import pika
import pytest

import dp3q
from dp3q import stream, topology
from dp3q.follow import Followers


@pytest.fixture()
def connection(broker_uri):
    connection = pika.BlockingConnection(pika.URLParameters(broker_uri))
    dp3q.topology.declare(connection, ())
    yield connection
    if connection.is_open:
        connection.close()


def flood(broker_uri, stop):
    """Appends records to dp3q.events until stop is set, as busy workers do."""
    connection = pika.BlockingConnection(pika.URLParameters(broker_uri))
    channel = connection.channel()
    try:
        while not stop.is_set():
            channel.basic_publish(topology.EVENTS_EXCHANGE, "", b"{}", pika.BasicProperties(type="flood"))
            connection.process_data_events(0)
    finally:
        connection.close()


def test_a_read_of_a_stream_that_is_being_written_ends_without_losing_the_connection(connection, broker_uri):
    # pika rejects what arrives for a cancelled consumer, and a stream answers a reject by closing the connection
    stop = threading.Event()
    writer = threading.Thread(target=flood, args=(broker_uri, stop))
    writer.start()
    try:
        for _ in range(20):
            stream.read_until_marker(connection, topology.EVENTS_STREAM, topology.EVENTS_EXCHANGE, "next",
                                     lambda record: None)
            assert connection.is_open
    finally:
        stop.set()
        writer.join()
    connection.process_data_events(0.2)
    assert connection.is_open


def test_a_client_sees_a_batch_another_client_submitted_after_its_own_last_submit(broker_uri):
    with dp3q.Client(broker_uri) as mine, dp3q.Client(broker_uri) as other:
        first = mine.submit_chunks("followed-a", 2, 10)
        assert len(first.published) == 2
        # the other client's submit lands in the index while this client follows it
        assert len(other.submit_chunks("followed-b", 2, 10).published) == 2
        again = mine.submit_chunks("followed-b", 2, 10)
        assert (len(again.published), len(again.left_alone)) == (0, 2)
        with pytest.raises(dp3q.ConflictingTasks):
            mine.submit_chunks("followed-b", 2, 10, args=["changed=1"])


def test_a_batch_submitted_by_a_following_client_is_read_from_where_it_begins(broker_uri):
    with dp3q.Client(broker_uri) as client:
        for i in range(3):
            client.submit_chunks("begins-%d" % i, 1, 10)
        status = client.status("begins-2")
        assert status.total == 1 and status.counts["submitted"] == 1


def test_every_look_up_names_the_catch_up_marker_a_read_of_the_events_waits_for(connection):
    # a read that waits for no marker of its own counts any marker as caught up, older ones included
    followers = Followers(connection)
    first, second = followers.look_up(), followers.look_up()
    assert first.events_marker is not None and second.events_marker not in (None, first.events_marker)
    assert second.events_end > first.events_end
