"""What the client raises. Each names what went wrong and what to do about it."""


class Dp3qError(Exception):
    """Base of every dp3q client error."""


class BrokerUnavailable(Dp3qError):
    """The broker did not answer (or stayed away longer than broker_timeout while waiting)."""


class InvalidTasks(Dp3qError, ValueError):
    """Tasks that cannot be published as they are; nothing was published. problems: one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("tasks rejected, nothing published (%d problem(s)):\n  %s"
                         % (len(self.problems), "\n  ".join(self.problems)))


class SubmitNotConfirmed(Dp3qError):
    """The broker did not accept every task. not_accepted: their ids; submitting again is safe."""

    def __init__(self, message, not_accepted):
        self.not_accepted = list(not_accepted)
        super().__init__(message)


class ConflictingTasks(Dp3qError):
    """Live tasks of the batch were submitted with other contents; nothing was published."""

    def __init__(self, batch, task_ids):
        self.task_ids = list(task_ids)
        super().__init__("batch %s: %d live task(s) were submitted with other contents: %s; nothing was published "
                         "(cancel the batch first, or wait for it to end)" % (batch, len(task_ids), ", ".join(task_ids)))


class WaitTimeout(Dp3qError):
    """wait's timeout passed before the batch finished; the batch goes on."""


class UnknownBatch(Dp3qError):
    """Nothing is known of the batch (no index record, no event) after wait's grace: a misspelt name, or a batch
    whose tasks were never published. Pass expect= to wait for a batch that is yet to be published."""
