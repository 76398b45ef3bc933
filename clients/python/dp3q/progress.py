"""A batch's state folded from its events: TaskState's transitions, plus the runs of each task (a task stays running
while a copy of it runs; a run's own end always applies), as the Java BatchProgress.

The conformance vectors in schemas/conformance/ hold the two to the same answers.
"""
from .lifecycle import REACHED_BY, TaskState, next_state
from .runs import ENDS_RUN, TaskRuns


class TaskView:
    """What is known of one task: its state, the event that put it there, the last start, its digest as its latest
    submitted recorded it, its open runs, and whether the broker confirmed its latest submitted copy."""
    __slots__ = ("task_id", "chunk", "state", "last", "started", "digest", "open_runs", "confirmed")

    def __init__(self, task_id, chunk, state, last, started, digest=None, open_runs=0, confirmed=True):
        self.task_id, self.chunk, self.state, self.last, self.started = task_id, chunk, state, last, started
        self.digest, self.open_runs, self.confirmed = digest, open_runs, confirmed

    @property
    def live(self):
        """Queued or running: a copy may still run. A task recorded submitted but never confirmed is not live."""
        return self.open_runs > 0 or (not self.state.terminal and not (self.state is TaskState.SUBMITTED
                                                                       and not self.confirmed))


class BatchProgress:
    """The state of one batch. Its size: the largest 'chunks' any event carries, else expect, else the tasks seen.

    The state moves as next_state says, except that a run's own start and end always apply (a second copy of a task
    that starts after the first one ended is running), and a task stays running while any run of it is open.
    """

    def __init__(self, batch, expected=None):
        self.batch = batch
        self.expected = expected
        self.tasks = {}
        self._runs = {}
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
        runs = self._runs.setdefault(task_id, TaskRuns())
        if kind == "started":
            if not runs.start(event):
                return False
            state = TaskState.RUNNING
        else:
            ran_here = kind in ENDS_RUN and runs.end(event)
            state = _next(event, current, ran_here, runs)
            if before is not None and state is current and not ran_here and kind != "submitted":
                return False
        started = event if kind == "started" else (before.started if before else None)
        chunk = event.get("chunk")
        if chunk is None and before is not None:
            chunk = before.chunk
        digest = event.get("digest") if kind == "submitted" and event.get("digest") else (before.digest if before else None)
        self.tasks[task_id] = TaskView(task_id, chunk, state, event, started, digest, runs.open_count,
                                       kind != "submitted")
        return True

    def accept(self, batch, task_ids):
        """The broker confirmed these tasks (an accepted record of submit). Returns whether anything changed."""
        changed = False
        for task_id in task_ids if batch == self.batch else ():
            view = self.tasks.get(task_id)
            if view is not None and not view.confirmed:
                view.confirmed = changed = True
        return changed

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


def _next(event, current, ran_here, runs):
    """A run that ends while another copy runs keeps the task running and holds its outcome until the last copy ends.
    A copy cancelled because a newer one replaced it (superseded) never ends the task."""
    kind = event["event"]
    if kind == "cancelled" and event.get("reason") == "superseded":
        if runs.open_count:
            return TaskState.RUNNING
        if ran_here:
            return runs.take_held(TaskState.SUBMITTED)
        return TaskState.SUBMITTED if current is None else current
    if ran_here:
        reached = REACHED_BY[kind]
        if runs.open_count:
            runs.hold(reached)
            return TaskState.RUNNING
        runs.take_held(None)
        return reached
    moved = next_state(current, kind)
    return TaskState.RUNNING if runs.open_count else moved
