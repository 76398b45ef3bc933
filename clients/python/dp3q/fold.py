"""One batch's records of dp3q.events folded into its state, plus what idempotent submit needs to know."""
import json
import logging

from . import topology
from .lifecycle import BatchProgress, TaskState
from .records import UnreadableRecord, read_events

ACCEPTED_TYPE = "dp3q.accepted"
_LIVE = (TaskState.SUBMITTED, TaskState.RUNNING, TaskState.RETRYING, TaskState.REPLAYED)
_log = logging.getLogger("dp3q")


class BatchFold:
    """Feed it stream records (stream.Record); records of other batches are skipped before their body is decoded."""

    def __init__(self, batch, expected=None):
        self.batch = batch
        self.progress = BatchProgress(batch, expected)
        self.digests = {}
        self._unconfirmed = set()
        self._warned = False

    def offer(self, record):
        """Applies one record; returns whether the batch's state changed."""
        if record.is_marker() or record.header(topology.BATCH_HEADER) != self.batch:
            return False
        if record.type == ACCEPTED_TYPE:
            self._accepted(record.body)
            return False
        try:
            events = read_events(record.body)
        except UnreadableRecord as e:
            if not self._warned:
                _log.warning("skipping an unreadable event record of batch %s: %s", self.batch, e)
                self._warned = True
            return False
        changed = False
        for event in events:
            self._track_submission(event)
            changed = self.progress.apply(event) or changed
        return changed

    def _track_submission(self, event):
        task_id = event.get("task_id")
        if event.get("batch") != self.batch or task_id is None:
            return
        if event.get("event") == "submitted":
            self.digests[task_id] = event.get("digest")
            self._unconfirmed.add(task_id)
        else:
            self._unconfirmed.discard(task_id)

    def _accepted(self, body):
        try:
            ids = json.loads(body).get("task_ids", [])
        except (ValueError, AttributeError):
            return
        self._unconfirmed.difference_update(ids)

    def is_live(self, task_id):
        """Submitted and accepted by the broker, or run since, and not ended: running it again would double it."""
        view = self.progress.tasks.get(task_id)
        return view is not None and view.state in _LIVE and task_id not in self._unconfirmed
