"""The broker objects dp3q relies on (Topology.java): names, and their idempotent declaration.

Queue arguments are part of the contract: the broker refuses to declare an existing queue with other ones.
A least-privilege user may not declare anything; the objects must then exist (declared once by the admin).
"""
import pika

TASKS_EXCHANGE = "dp3q.tasks"
FAILED_QUEUE = "dp3q.failed"
DEAD_LETTER_QUEUE = "dp3q.dead-letter"
EVENTS_STREAM = "dp3q.events"
EVENTS_EXCHANGE = "dp3q.events.in"
FAILED_EXCHANGE = "dp3q.failed.in"
WORKERS_STREAM = "dp3q.workers"
WORKERS_EXCHANGE = "dp3q.workers.in"
CONTROL_EXCHANGE = "dp3q.control"
CONTROL_LOG_STREAM = "dp3q.control.log"
BATCHES_STREAM = "dp3q.batches"
BATCHES_EXCHANGE = "dp3q.batches.in"
RETRY_EXCHANGE = "dp3q.retry.in"
REQUEUE_EXCHANGE = "dp3q.retry.out"
DEFAULT_POOL = "default"
DELIVERY_LIMIT = 5
BATCH_HEADER = "dp3q-batch"
MARKER_TYPE = "dp3q.marker"
_ACCESS_REFUSED = 403


def _exchange(name, kind):
    return ("exchange " + name, lambda ch: ch.exchange_declare(name, kind, durable=True),
            lambda ch: ch.exchange_declare(name, passive=True))


def _queue(name, arguments):
    return ("queue " + name, lambda ch: ch.queue_declare(name, durable=True, arguments=arguments),
            lambda ch: ch.queue_declare(name, passive=True))


def _binding(queue, exchange, key):
    return ("binding %s -> %s" % (exchange, queue), lambda ch: ch.queue_bind(queue, exchange, key), None)


def _stream(max_age):
    return {"x-queue-type": "stream", "x-max-age": max_age}


def shared():
    """The shared objects, in the order they must be declared."""
    return [
        _exchange(TASKS_EXCHANGE, "direct"),
        _exchange(CONTROL_EXCHANGE, "fanout"),
        _queue(FAILED_QUEUE, {"x-queue-type": "quorum"}),
        _queue(DEAD_LETTER_QUEUE, {"x-queue-type": "quorum"}),
        _queue(EVENTS_STREAM, _stream("7D")),
        _exchange(EVENTS_EXCHANGE, "fanout"),
        _binding(EVENTS_STREAM, EVENTS_EXCHANGE, ""),
        _exchange(FAILED_EXCHANGE, "fanout"),
        _binding(FAILED_QUEUE, FAILED_EXCHANGE, ""),
        _exchange(RETRY_EXCHANGE, "direct"),
        _exchange(REQUEUE_EXCHANGE, "direct"),
        _queue(WORKERS_STREAM, _stream("1D")),
        _exchange(WORKERS_EXCHANGE, "fanout"),
        _binding(WORKERS_STREAM, WORKERS_EXCHANGE, ""),
        _queue(CONTROL_LOG_STREAM, _stream("7D")),
        _binding(CONTROL_LOG_STREAM, CONTROL_EXCHANGE, ""),
        _queue(BATCHES_STREAM, _stream("7D")),
        _exchange(BATCHES_EXCHANGE, "fanout"),
        _binding(BATCHES_STREAM, BATCHES_EXCHANGE, ""),
    ]


def task_queue(pool):
    return "dp3q.tasks." + pool


def pool(name):
    """A pool's task queue (quorum, delivery limit, dead letters at-least-once) and its bindings."""
    queue = task_queue(name)
    arguments = {"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT, "x-dead-letter-exchange": "",
                 "x-dead-letter-routing-key": DEAD_LETTER_QUEUE, "x-dead-letter-strategy": "at-least-once",
                 "x-overflow": "reject-publish"}
    return [_queue(queue, arguments), _binding(queue, TASKS_EXCHANGE, name), _binding(queue, REQUEUE_EXCHANGE, name)]


def declare(connection, pools):
    """Declares the shared objects and each pool's queue, or checks they exist where this user may not declare."""
    declarations = shared() + [d for name in sorted(pools) for d in pool(name)]
    channel = connection.channel()
    try:
        for what, declare_it, check in declarations:
            try:
                declare_it(channel)
            except pika.exceptions.ChannelClosedByBroker as e:
                if e.reply_code != _ACCESS_REFUSED:
                    raise
                channel = connection.channel()
                if check is not None:
                    _check(connection, channel, what, check)
                    channel = channel if channel.is_open else connection.channel()
    finally:
        if channel.is_open:
            channel.close()


def _check(connection, channel, what, check):
    try:
        check(channel)
    except pika.exceptions.ChannelClosedByBroker as e:
        if e.reply_code == 404:
            raise RuntimeError("%s does not exist, and this broker user may not declare it: declare the topology once "
                               "as the admin, with 'dp3q topology --pool POOL ...'" % what) from None
        raise
