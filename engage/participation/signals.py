"""Signals by which the participation feature tells higher features what happened.

Each is sent by the service right after the change is flushed, inside the caller's transaction, so
a receiver that writes (e.g. the notification outbox) commits or rolls back together with it.

- ``registration_confirmed(registration, now)``: the person got a seat on registering.
- ``registration_waitlisted(registration, now)``: the workshop was full; the person waits.
- ``registration_promoted(registration, now)``: a freed seat went to this person on the waiting list.
- ``registration_cancelled(registration, now)``: the registration was cancelled (by them or a lead).
"""

from blinker import Namespace

_signals = Namespace()

registration_confirmed = _signals.signal("registration-confirmed")
registration_waitlisted = _signals.signal("registration-waitlisted")
registration_promoted = _signals.signal("registration-promoted")
registration_cancelled = _signals.signal("registration-cancelled")
