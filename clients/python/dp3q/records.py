"""Stream records of dp3q.events: one event (a JSON object) or several of one batch (a JSON array)."""
import json

from .lifecycle import EVENT_TYPES

REASONS = ("exit", "signal", "timeout", "invalid", "delivery-limit", "delivery-lost", "cancelled", "drained",
           "walltime", "failed-fast", "quarantined", "superseded")
_INTEGER_FIELDS = ("chunk", "chunks", "attempt", "exit_code", "signal", "duration_ms", "cpu_ms", "max_rss_kb")


class UnreadableRecord(ValueError):
    """A record that is not JSON events; readers skip it whole and carry on."""


def read_events(body):
    """The events a record holds, in order; raises UnreadableRecord when any of them is not an event."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise UnreadableRecord("not JSON: %s" % e) from None
    events = value if isinstance(value, list) else [value]
    for event in events:
        _check(event)
    return events


def _check(event):
    if not isinstance(event, dict):
        raise UnreadableRecord("not an event object: %.80r" % (event,))
    kind = event.get("event")
    if kind is not None and kind not in EVENT_TYPES:
        raise UnreadableRecord("unknown event type %r" % (kind,))
    reason = event.get("reason")
    if reason is not None and reason not in REASONS:
        raise UnreadableRecord("unknown reason %r" % (reason,))
    for field in _INTEGER_FIELDS:
        value = event.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise UnreadableRecord("%s is not an integer: %r" % (field, value))
    for field in ("task_id", "batch", "time"):
        value = event.get(field)
        if value is not None and not isinstance(value, str):
            raise UnreadableRecord("%s is not a string: %r" % (field, value))
