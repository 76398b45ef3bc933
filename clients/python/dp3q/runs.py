"""The runs of one task that have started and not ended, each keyed by the worker slot running it (TaskRuns.java).

A run ends with its slot's outcome event, when a later attempt of the task starts or ends (the broker handed the
task out again: the earlier worker died or lost the delivery, and a worker kills a subprocess whose delivery is lost;
a later attempt's outcome implies its start, whose event a broker restart may have lost), or when the broker gave up
on the task (delivery limit). A started read a second time opens nothing.

A started that says sole_run ends every open run, whatever its attempt: that run's claim was judged first before its
tool started, so every other run of the task had been released or had lapsed (its guardian killed it). Attempts alone
do not order two copies of one message: a held copy keeps its attempt, and the original handed out again when the
holding worker died before acking it counts one more.
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
        if started.get("sole_run") is True:
            self._end_all()
        self._end_earlier_than(attempt)
        previous = self._open.get(_slot_key(started))
        if previous is not None:
            self._ended.add(previous[0])
        self._open[_slot_key(started)] = (run_id, attempt)
        return True

    def end(self, outcome):
        """Ends the run of the slot outcome comes from; True when such a run was open."""
        if outcome.get("reason") == "delivery-limit":
            return self._end_all()
        superseded = self._end_earlier_than(_attempt(outcome))
        run = self._open.pop(_slot_key(outcome), None)
        if run is None:
            return superseded
        self._ended.add(run[0])
        return True

    def _end_all(self):
        """Ends every open run; True when there were any."""
        had_any = bool(self._open)
        self._ended.update(run_id for run_id, _ in self._open.values())
        self._open.clear()
        return had_any

    def _end_earlier_than(self, attempt):
        """Ends the open runs of attempts before attempt; True when there were any."""
        earlier = [key for key, (_, old_attempt) in self._open.items() if old_attempt < attempt]
        for key in earlier:
            self._ended.add(self._open.pop(key)[0])
        return bool(earlier)

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
