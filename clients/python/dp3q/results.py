"""What wait returns or raises: every chunk's outcome, and the batch's."""
import dataclasses

from .errors import Dp3qError
from .lifecycle import TaskState


@dataclasses.dataclass(frozen=True)
class ChunkOutcome:
    """How one task ended: its state and, from its last event, exit code, times, peak memory, log, failure reason."""
    task_id: str
    chunk: int
    state: str
    exit_code: int = None
    signal: int = None
    duration_ms: int = None
    cpu_ms: int = None
    max_rss_kb: int = None
    log: str = None
    host: str = None
    reason: str = None
    message: str = None
    stderr_tail: str = None

    @classmethod
    def of(cls, view):
        last = view.last
        worker = last.get("worker") or {}
        return cls(view.task_id, view.chunk, view.state.value, last.get("exit_code"), last.get("signal"),
                   last.get("duration_ms"), last.get("cpu_ms"), last.get("max_rss_kb"), last.get("log"),
                   worker.get("host"), last.get("reason"), last.get("message"), last.get("stderr_tail"))

    def describe(self):
        text = self.reason or self.state
        if self.exit_code is not None:
            text += " (exit %d)" % self.exit_code
        if self.signal is not None:
            text += " (signal %d)" % self.signal
        if self.message:
            text += ": " + self.message
        if self.log:
            text += " [log %s%s]" % (self.host + ":" if self.host else "", self.log)
        return text


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """A finished batch: outcome ('succeeded', 'failed' or 'cancelled') and every chunk's outcome, in chunk order."""
    batch: str
    outcome: str
    total: int
    chunks: tuple

    @classmethod
    def of(cls, progress):
        views = sorted(progress.tasks.values(), key=lambda v: (-1 if v.chunk is None else v.chunk, v.task_id))
        return cls(progress.batch, progress.outcome(), progress.total, tuple(ChunkOutcome.of(v) for v in views))

    def in_state(self, state):
        state = state.value if isinstance(state, TaskState) else state
        return [chunk for chunk in self.chunks if chunk.state == state]

    @property
    def failed(self):
        return self.in_state(TaskState.FAILED)

    @property
    def ok(self):
        return self.outcome == "succeeded"


class BatchFailed(Dp3qError):
    """The batch ended with failed tasks. result: the BatchResult; failed: their ChunkOutcomes."""

    def __init__(self, result):
        self.result = result
        self.failed = result.failed
        lines = ["batch %s: %d of %d task(s) failed:" % (result.batch, len(self.failed), result.total)]
        lines += ["  chunk %s (%s): %s" % (c.chunk, c.task_id, c.describe()) for c in self.failed]
        lines.append("Details: client.failed(%r); after fixing the cause: client.replay(%r)" % (result.batch, result.batch))
        super().__init__("\n".join(lines))


class BatchCancelled(Dp3qError):
    """The batch was cancelled (dp3q cancel). result: the BatchResult."""

    def __init__(self, result):
        self.result = result
        cancelled = result.in_state(TaskState.CANCELLED)
        super().__init__("batch %s was cancelled: %d of %d task(s) cancelled" % (result.batch, len(cancelled),
                                                                               result.total))
