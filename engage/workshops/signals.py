"""Signals by which the workshops feature tells higher features what happened.

Sent after the change is flushed, inside the caller's transaction.

- ``workshop_capacity_raised(workshop)``: seats were added; the waiting list may move up.
- ``workshop_rescheduled(workshop)``: its time or place changed (the calendar SEQUENCE went up).
- ``workshop_cancelled(workshop)``: it was cancelled.
"""

from blinker import Namespace

_signals = Namespace()

workshop_capacity_raised = _signals.signal("workshop-capacity-raised")
workshop_rescheduled = _signals.signal("workshop-rescheduled")
workshop_cancelled = _signals.signal("workshop-cancelled")
