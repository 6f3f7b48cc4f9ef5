"""Signals by which the auth feature tells higher features what happened (sent after the flush).

- ``invitation_created(invitation, token=…, now=…, message=…)``: an invitation was made; ``token`` is the
  plain secret of its sign-up link, which exists only in this transaction (the database keeps its hash);
  ``message`` is what the inviting feature wants the invitee told (may be empty).
"""

from blinker import Namespace

_signals = Namespace()

invitation_created = _signals.signal("invitation-created")
