"""One batch's records of dp3q.events folded into its state, plus what idempotent submit needs to know."""
import json
import logging

from . import topology
from .progress import BatchProgress
from .records import UnreadableRecord, read_events

ACCEPTED_TYPE = "dp3q.accepted"
_log = logging.getLogger("dp3q")


class BatchFold:
    """Feed it stream records (stream.Record); records of other batches are skipped before their body is decoded."""

    def __init__(self, batch, expected=None):
        self.batch = batch
        self.progress = BatchProgress(batch, expected)
        self._warned = False

    def offer(self, record):
        """Applies one record; returns whether the batch's state changed."""
        if record.is_marker() or record.header(topology.BATCH_HEADER) != self.batch:
            return False
        if record.type == ACCEPTED_TYPE:
            return self._accepted(record.body)
        try:
            events = read_events(record.body)
        except UnreadableRecord as e:
            if not self._warned:
                _log.warning("skipping an unreadable event record of batch %s: %s", self.batch, e)
                self._warned = True
            return False
        changed = False
        for event in events:
            changed = self.progress.apply(event) or changed
        return changed

    def _accepted(self, body):
        try:
            accepted = json.loads(body)
            return self.progress.accept(accepted.get("batch"), list(accepted.get("task_ids") or ()))
        except (ValueError, AttributeError, TypeError):
            return False

    def view(self, task_id):
        return self.progress.tasks.get(task_id)
