"""Publishing with many messages in flight, each confirmed by the broker (and returned when unroutable).

pika's BlockingChannel waits for each confirm before the next publish: about 5 ms a task on a quorum queue. This
drives the channel underneath it (BlockingChannel._impl, pika's asynchronous Channel) on the same blocking
connection, as BlockingChannel itself does, so a window of publishes is in flight at once.
"""
import collections
import itertools
import time

import pika


class ConfirmedPublisher:
    """publish() keeps up to window messages unconfirmed; settle() waits for the rest and says what failed."""

    def __init__(self, connection, window=1000):
        self.connection, self.window = connection, window
        self.channel = connection.channel()
        self._impl = self.channel._impl
        self._pending = collections.OrderedDict()
        self._next_tag = 1
        self.not_confirmed, self.unroutable = [], set()
        ready = []
        self._impl.add_on_return_callback(self._on_return)
        self._impl.confirm_delivery(self._on_confirm, callback=lambda frame: ready.append(self._wake()))
        while not ready:
            connection.process_data_events(time_limit=0.1)

    def _wake(self):
        """Makes the running process_data_events return: callbacks of the channel underneath do not."""
        self.connection.add_callback_threadsafe(lambda: None)

    def _on_return(self, channel, method, properties, body):
        self.unroutable.add(properties.message_id)
        self._wake()

    def _on_confirm(self, frame):
        self._wake()
        method = frame.method
        if method.multiple:
            tags = list(itertools.takewhile(lambda tag: tag <= method.delivery_tag, self._pending))
        else:
            tags = [method.delivery_tag]
        for tag in tags:
            message_id = self._pending.pop(tag, None)
            if message_id is not None and isinstance(method, pika.spec.Basic.Nack):
                self.not_confirmed.append(message_id)

    def publish(self, exchange, routing_key, body, properties, mandatory=False):
        while len(self._pending) >= self.window:
            self.connection.process_data_events(time_limit=0.1)
        self._impl.basic_publish(exchange, routing_key, body, properties, mandatory)
        self._pending[self._next_tag] = properties.message_id
        self._next_tag += 1

    def settle(self, timeout=60.0):
        """Waits until every publish is confirmed or timeout passed; returns the message ids that were not accepted
        (nacked, unconfirmed or returned unroutable), and forgets them."""
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            self.connection.process_data_events(time_limit=0.1)
        failed = self.not_confirmed + list(self._pending.values()) + sorted(self.unroutable)
        self.not_confirmed, self.unroutable = [], set()
        self._pending.clear()
        return list(dict.fromkeys(failed))

    def close(self):
        if self.channel.is_open:
            self.channel.close()


class HeldPublisher:
    """The ConfirmedPublisher a client keeps on its connection from one submit to the next: opening a channel and
    turning confirms on took 1.5 ms of every submit, before its first task went out. One whose publishing failed
    part-way is discarded (confirms of the failed submit may still arrive); the next submit opens a fresh one."""

    def __init__(self, connection):
        self.connection = connection
        self._publisher = None

    def get(self):
        """A publisher with nothing in flight, on a channel that is open."""
        if self._publisher is None or not self._publisher.channel.is_open:
            self._publisher = ConfirmedPublisher(self.connection)
        return self._publisher

    def discard(self):
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            try:
                publisher.close()
            except pika.exceptions.AMQPError:
                pass  # a channel the broker closed, or a connection that is gone: nothing left to close
