"""The runs of one task that have started and not ended, each keyed by the worker slot running it (TaskRuns.java).

A run ends with its slot's outcome event, when a later attempt of the task starts (the broker handed the task out
again: the earlier worker died or lost the delivery, and a worker kills a subprocess whose delivery is lost), or
when the broker gave up on the task (delivery limit). A started read a second time opens nothing.
"""

ENDS_RUN = ("succeeded", "failed", "retrying", "skipped", "cancelled", "returned")


def _slot_key(event):
    worker = event.get("worker")
    if not isinstance(worker, dict):
        return "-"
    return "%s/%s/%s" % (worker.get("host"), worker.get("pid"), worker.get("slot"))


def _attempt(event):
    return event.get("attempt") or 0


def _run_id(started):
    return "%s/%d/%s" % (_slot_key(started), _attempt(started), started.get("time"))


class TaskRuns:
    def __init__(self):
        self._open = {}
        self._ended = set()
        self._held = None

    def start(self, started):
        """Opens the run started begins; False when that run was seen before."""
        run_id = _run_id(started)
        if run_id in self._ended or any(run[0] == run_id for run in self._open.values()):
            return False
        attempt = _attempt(started)
        for key, (old_id, old_attempt) in list(self._open.items()):
            if old_attempt < attempt:
                self._ended.add(old_id)
                del self._open[key]
        previous = self._open.get(_slot_key(started))
        if previous is not None:
            self._ended.add(previous[0])
        self._open[_slot_key(started)] = (run_id, attempt)
        return True

    def end(self, outcome):
        """Ends the run of the slot outcome comes from; True when such a run was open."""
        if outcome.get("reason") == "delivery-limit":
            had_any = bool(self._open)
            self._ended.update(run_id for run_id, _ in self._open.values())
            self._open.clear()
            return had_any
        run = self._open.pop(_slot_key(outcome), None)
        if run is None:
            return False
        self._ended.add(run[0])
        return True

    def hold(self, outcome):
        """Keeps the outcome of a run that ended while another copy still runs."""
        self._held = outcome

    def take_held(self, otherwise):
        outcome = self._held if self._held is not None else otherwise
        self._held = None
        return outcome

    @property
    def open_count(self):
        return len(self._open)
