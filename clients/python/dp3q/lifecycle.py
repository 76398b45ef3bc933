"""A task's life and a batch's state, folded from events: the same rules as the Java TaskState and BatchProgress.

The conformance vectors in schemas/conformance/ hold both to the same answers.
"""
import enum

EVENT_TYPES = ("submitted", "started", "succeeded", "failed", "retrying", "skipped", "cancelled", "replayed")


class TaskState(enum.Enum):
    SUBMITTED = "submitted"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    REPLAYED = "replayed"

    @property
    def terminal(self):
        return self in (TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SKIPPED, TaskState.CANCELLED)

    @property
    def done(self):
        return self in (TaskState.SUCCEEDED, TaskState.SKIPPED)


_REACHED_BY = {"submitted": TaskState.SUBMITTED, "started": TaskState.RUNNING, "retrying": TaskState.RETRYING,
               "succeeded": TaskState.SUCCEEDED, "failed": TaskState.FAILED, "skipped": TaskState.SKIPPED,
               "cancelled": TaskState.CANCELLED, "replayed": TaskState.REPLAYED}
_ANY_RUN_OUTCOME = {"started", "succeeded", "failed", "retrying", "skipped", "cancelled"}
# terminal states move only when a person acts: a replay, or the same task submitted again
_ALLOWED = {TaskState.SUBMITTED: _ANY_RUN_OUTCOME, TaskState.RUNNING: _ANY_RUN_OUTCOME,
            TaskState.RETRYING: _ANY_RUN_OUTCOME, TaskState.REPLAYED: _ANY_RUN_OUTCOME,
            TaskState.FAILED: {"replayed", "submitted"}, TaskState.SUCCEEDED: {"submitted"},
            TaskState.SKIPPED: {"submitted"}, TaskState.CANCELLED: {"submitted"}}


def next_state(current, event_type):
    """The state after an event; a task not seen before (current None) accepts any event."""
    if current is None or event_type in _ALLOWED[current]:
        return _REACHED_BY[event_type]
    return current


class TaskView:
    """What is known of one task: its state, the event that put it there and the last start."""
    __slots__ = ("task_id", "chunk", "state", "last", "started")

    def __init__(self, task_id, chunk, state, last, started):
        self.task_id, self.chunk, self.state, self.last, self.started = task_id, chunk, state, last, started


class BatchProgress:
    """The state of one batch. Its size: the largest 'chunks' any event carries, else expect, else the tasks seen."""

    def __init__(self, batch, expected=None):
        self.batch = batch
        self.expected = expected
        self.tasks = {}
        self._chunks_from_events = None

    def apply(self, event):
        """Applies one event (a dict); events of other batches are ignored. Returns whether anything changed."""
        kind, task_id = event.get("event"), event.get("task_id")
        if event.get("batch") != self.batch or kind is None or task_id is None:
            return False
        chunks = event.get("chunks")
        if chunks is not None and (self._chunks_from_events is None or chunks > self._chunks_from_events):
            self._chunks_from_events = chunks
        before = self.tasks.get(task_id)
        current = before.state if before else None
        state = next_state(current, kind)
        restarted = current is TaskState.RUNNING and kind == "started"
        if before is not None and state is current and not restarted:
            return False
        started = event if state is TaskState.RUNNING else (before.started if before else None)
        chunk = event.get("chunk")
        if chunk is None and before is not None:
            chunk = before.chunk
        self.tasks[task_id] = TaskView(task_id, chunk, state, event, started)
        return True

    @property
    def total(self):
        if self._chunks_from_events is not None:
            return self._chunks_from_events
        if self.expected is not None:
            return self.expected
        return len(self.tasks) or None

    def counts(self):
        counts = {state: 0 for state in TaskState}
        for view in self.tasks.values():
            counts[view.state] += 1
        return counts

    def terminal(self):
        return sum(1 for view in self.tasks.values() if view.state.terminal)

    def is_complete(self):
        total = self.total
        return total is not None and self.terminal() >= total and all(v.state.terminal for v in self.tasks.values())

    def is_successful(self):
        return self.is_complete() and all(view.state.done for view in self.tasks.values())

    def is_cancelled(self):
        return self.is_complete() and any(view.state is TaskState.CANCELLED for view in self.tasks.values())

    def outcome(self):
        """'running' while not complete, else how wait ends: 'succeeded', 'cancelled' or 'failed'."""
        if not self.is_complete():
            return "running"
        return "succeeded" if self.is_successful() else "cancelled" if self.is_cancelled() else "failed"

    def in_state(self, state):
        views = [view for view in self.tasks.values() if view.state is state]
        return sorted(views, key=lambda view: -1 if view.chunk is None else view.chunk)
