"""Publishing a prepared batch as dp3q submit does: the submitted events of a block of tasks recorded first (one
stream record of up to 1000), then the tasks (persistent, mandatory, confirmed), then an accepted record naming the
tasks the broker confirmed. Tasks of the batch that are live with the same contents are left alone."""
import datetime
import json

import pika

from . import index, stream, topology
from .errors import ConflictingTasks, SubmitNotConfirmed
from .fold import ACCEPTED_TYPE, BatchFold
from .tasks import digest

BLOCK = 1000
INDEXED_HEADER = "dp3q-indexed"


class SubmitReport:
    """What submit did: the ids it published, and those it left alone because they are live already."""

    def __init__(self, batch, published, left_alone):
        self.batch, self.published, self.left_alone = batch, published, left_alone

    def __repr__(self):
        return "SubmitReport(batch=%r, published=%d, left_alone=%d)" % (self.batch, len(self.published),
                                                                       len(self.left_alone))


def submit(connection, batch, tasks, followers, publisher, declared=None):
    """Publishes prepared tasks of one batch; returns a SubmitReport or raises (nothing live is ever doubled).
    followers: the connection's follow.Followers; publisher: its confirms.HeldPublisher, dropped when publishing
    fails; declared: the pools already declared on this connection (updated)."""
    pools = {task.get("pool", topology.DEFAULT_POOL) for task in tasks}
    if declared is None or not pools <= declared:
        topology.declare(connection, pools)
        if declared is not None:
            declared.update(pools)
    fold, opened_at = _known_state(connection, batch, followers)
    fresh, left_alone, conflicts = [], [], []
    for task in tasks:
        task_digest = digest(task)
        view = fold.view(task["id"])
        if view is None or not view.live:
            fresh.append((task, task_digest))
        elif view.digest in (task_digest, None):
            left_alone.append(task["id"])
        else:
            conflicts.append(task["id"])
    if conflicts:
        raise ConflictingTasks(batch, conflicts)
    try:
        published = _publish(publisher.get(), batch, fresh, opened_at)
    except BaseException:
        publisher.discard()
        raise
    return SubmitReport(batch, published, left_alone)


def _known_state(connection, batch, followers):
    """The batch's state so far, read from where the index says it begins, up to the events' catch-up marker of the
    look-up; for a batch not indexed yet, nothing, and the offset it begins at, to be recorded in the index."""
    known = followers.look_up()
    start = known.state.start(batch)
    fold = BatchFold(batch)
    if start is None:
        return fold, known.events_end
    stream.read_until_marker(connection, topology.EVENTS_STREAM, topology.EVENTS_EXCHANGE, start, fold.offer,
                             marker_id=known.events_marker)
    return fold, None


def _publish(publisher, batch, fresh, opened_at):
    """Each block's submitted events are recorded (confirmed) before its tasks go out, so whatever a worker records
    about a task follows its submitted in the stream; the tasks are confirmed many at a time."""
    not_accepted, blocks = [], []
    try:
        if opened_at is not None:
            index.publish_opened(publisher, batch, opened_at)
        for start in range(0, len(fresh), BLOCK):
            block = fresh[start:start + BLOCK]
            _record_submitted(publisher, batch, block)
            refused = publisher.settle()
            if refused:
                ids = [task["id"] for task, _ in fresh]
                not_accepted = list(dict.fromkeys([r for r in refused if r in ids] + ids[start:]))
                raise SubmitNotConfirmed("the broker did not record the submitted events of the tasks from %s on; %d "
                                         "task(s) were not published; submit again (task ids make it safe)"
                                         % (block[0][0]["id"], len(fresh) - start), not_accepted)
            for task, _ in block:
                _publish_task(publisher, task)
            blocks.append([task["id"] for task, _ in block])
        not_accepted = publisher.settle()
        refused = set(not_accepted)
        published = []
        for ids in blocks:
            confirmed = [task_id for task_id in ids if task_id not in refused]
            if confirmed:
                _record(publisher, ACCEPTED_TYPE, batch, confirmed[0],
                        {"schema": "dp3q.accepted/1", "batch": batch, "task_ids": confirmed})
            published.extend(confirmed)
        publisher.settle()
    except pika.exceptions.AMQPConnectionError:
        raise  # the client connects again and submits again: task ids make it safe
    except pika.exceptions.AMQPError as e:
        raise SubmitNotConfirmed("publishing failed (%s); submit again (task ids make it safe)" % e,
                                 [task["id"] for task, _ in fresh]) from None
    if not_accepted:
        raise SubmitNotConfirmed("the broker did not accept %d of %d task(s): %s; submit again (task ids make it safe)"
                                 % (len(not_accepted), len(fresh), ", ".join(not_accepted)), not_accepted)
    return published


def _record_submitted(publisher, batch, block):
    now = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    events = [{"schema": "dp3q.event/1", "event": "submitted", "task_id": task["id"], "batch": batch,
               "chunk": task["chunk"], "chunks": task["chunks"], "pool": task.get("pool", topology.DEFAULT_POOL),
               "time": now, "digest": task_digest} for task, task_digest in block]
    _record(publisher, "submitted", batch, block[0][0]["id"], events[0] if len(events) == 1 else events)


def _record(publisher, kind, batch, message_id, body):
    properties = pika.BasicProperties(content_type="application/json", delivery_mode=2, type=kind,
                                      message_id=message_id, headers={topology.BATCH_HEADER: batch})
    publisher.publish(topology.EVENTS_EXCHANGE, topology.EVENTS_STREAM, json.dumps(body).encode(), properties)


def _publish_task(publisher, task):
    properties = pika.BasicProperties(content_type="application/json", content_encoding="utf-8", delivery_mode=2,
                                      message_id=task["id"],
                                      headers={topology.BATCH_HEADER: task["batch"], INDEXED_HEADER: True})
    publisher.publish(topology.TASKS_EXCHANGE, task.get("pool", topology.DEFAULT_POOL), json.dumps(task).encode(),
                      properties, mandatory=True)
