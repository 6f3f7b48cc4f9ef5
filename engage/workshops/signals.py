"""Signals by which the workshops feature tells higher features what happened.

- ``workshop_capacity_raised(workshop)``: seats were added; the waiting list may move up.
"""

from blinker import Namespace

_signals = Namespace()

workshop_capacity_raised = _signals.signal("workshop-capacity-raised")
