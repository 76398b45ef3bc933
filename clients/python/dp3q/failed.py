"""The failed tasks in dp3q.failed, looked at without removing any: fetched unacked and handed back when the
channel closes, which a quorum queue returns to their places in order."""
import dataclasses

from . import topology


@dataclasses.dataclass(frozen=True)
class FailedTask:
    task_id: str
    batch: str
    chunk: int
    pool: str
    reason: str
    message: str
    exit_code: int
    signal: int
    attempt: int
    worker_host: str
    log: str
    stderr_tail: str
    failed_at: str
    body: str


_HEADERS = ("task-id", "batch", "chunk", "pool", "reason", "message", "exit-code", "signal", "attempt", "worker-host",
            "log", "stderr-tail", "failed-at")


def peek_failed(connection, batch=None, reason=None):
    channel = connection.channel()
    records = []
    try:
        while True:
            method, properties, body = channel.basic_get(topology.FAILED_QUEUE, auto_ack=False)
            if method is None:
                break
            headers = properties.headers or {}
            values = [_text(headers.get("dp3q-" + name)) for name in _HEADERS]
            record = FailedTask(*values, body=body.decode("utf-8", "replace"))
            if (batch is None or record.batch == batch) and (reason is None or record.reason == reason):
                records.append(record)
    finally:
        # closing hands every unacked record back to the queue
        if channel.is_open:
            channel.close()
    return records


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
