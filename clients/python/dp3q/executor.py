"""A shim for pipelines written against dask.distributed: submit(...) per chunk, then gather(futures).

    executor = DaskLikeExecutor(Client(), batch="cal-phase")
    futures = [executor.submit("DP3", args, resources={"subprocess_slots": 1}) for args in chunk_args]
    executor.gather(futures)                      # the barrier; raises BatchFailed like Client.wait

Each submit only collects a task; the first gather publishes them all at once (one batch) and waits. resources
are accepted and ignored: a dp3q worker slot runs one subprocess at a time by construction.
"""
import itertools
import uuid

from .tasks import Task

_batches = itertools.count()


class ChunkFuture:
    """Stands for one collected task; result() is its ChunkOutcome once the executor gathered."""

    def __init__(self, executor, chunk):
        self.executor, self.chunk, self._outcome = executor, chunk, None

    def result(self):
        if self._outcome is None:
            self.executor.gather([self])
        return self._outcome


class DaskLikeExecutor:
    def __init__(self, client, batch=None, **task_fields):
        self.client = client
        self.batch_prefix = batch or "dask-like"
        self.task_fields = task_fields
        self._pending = []
        self._batch = None

    def submit(self, tool, args, resources=None, **fields):
        """Collects one task (tool, argv) and returns its future; fields: pool, workdir, env, timeout_s, ..."""
        task = Task(args=list(args), chunk=len(self._pending), tool=tool, **dict(self.task_fields, **fields))
        self._pending.append(task)
        return ChunkFuture(self, task.chunk)

    def gather(self, futures):
        """Publishes what was collected as one batch, waits for it and returns the futures' ChunkOutcomes."""
        if self._pending:
            self._batch = "%s-%s-%d" % (self.batch_prefix, uuid.uuid4().hex[:8], next(_batches))
            tasks, self._pending = self._pending, []
            self.client.submit(self._batch, tasks)
            result = self.client.wait(self._batch)
            by_chunk = {outcome.chunk: outcome for outcome in result.chunks}
            for future in futures:
                future._outcome = by_chunk.get(future.chunk)
        return [future._outcome for future in futures]
