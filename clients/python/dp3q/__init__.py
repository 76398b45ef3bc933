"""dp3q from Python: publish DP3 chunk tasks to the queue and wait on them (pika only).

    from dp3q import Client
    with Client() as client:                      # $DP3Q_BROKER, else amqp://guest:guest@localhost:5672/
        client.submit_chunks("cal-phase", chunks=10, ntimes=75, args=["msin=/data/obs.ms", "steps=[solve]"])
        result = client.wait("cal-phase")         # raises BatchFailed / BatchCancelled
"""
from .client import BatchStatus, Client
from .commands import CommandFailed
from .errors import (BrokerUnavailable, ConflictingTasks, Dp3qError, InvalidTasks, SubmitNotConfirmed,
                     UnknownBatch, WaitTimeout)
from .executor import DaskLikeExecutor
from .failed import FailedTask
from .publish import SubmitReport
from .results import BatchCancelled, BatchFailed, BatchResult, ChunkOutcome
from .tasks import Task, dp3_chunks

__all__ = ["Client", "Task", "dp3_chunks", "BatchResult", "ChunkOutcome", "BatchFailed", "BatchCancelled",
           "BatchStatus", "FailedTask", "SubmitReport", "DaskLikeExecutor", "Dp3qError", "BrokerUnavailable",
           "InvalidTasks", "SubmitNotConfirmed", "ConflictingTasks", "UnknownBatch", "WaitTimeout",
           "CommandFailed"]
