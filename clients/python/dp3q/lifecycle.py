"""A task's life as a state machine (TaskState.java): the state an event leads to from the current one. An event that
is not a legal move (a late or repeated record) leaves the state as it is."""
import enum

EVENT_TYPES = ("submitted", "started", "succeeded", "failed", "retrying", "skipped", "cancelled", "replayed", "returned")


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


REACHED_BY = {"submitted": TaskState.SUBMITTED, "started": TaskState.RUNNING, "retrying": TaskState.RETRYING,
               "succeeded": TaskState.SUCCEEDED, "failed": TaskState.FAILED, "skipped": TaskState.SKIPPED,
               "cancelled": TaskState.CANCELLED, "replayed": TaskState.REPLAYED,
               # back in the queue without counting (drain, walltime, a fast failure): waiting as if just submitted
               "returned": TaskState.SUBMITTED}
_ANY_RUN_OUTCOME = {"started", "succeeded", "failed", "retrying", "skipped", "cancelled", "returned"}
# terminal states move only when a person acts: a replay, or the same task submitted again
_ALLOWED = {TaskState.SUBMITTED: _ANY_RUN_OUTCOME, TaskState.RUNNING: _ANY_RUN_OUTCOME,
            TaskState.RETRYING: _ANY_RUN_OUTCOME, TaskState.REPLAYED: _ANY_RUN_OUTCOME,
            TaskState.FAILED: {"replayed", "submitted"}, TaskState.SUCCEEDED: {"submitted"},
            TaskState.SKIPPED: {"submitted"}, TaskState.CANCELLED: {"submitted"}}


def next_state(current, event_type):
    """The state after an event; a task not seen before (current None) accepts any event."""
    if current is None or event_type in _ALLOWED[current]:
        return REACHED_BY[event_type]
    return current
