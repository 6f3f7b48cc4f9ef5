"""Signals by which the auth feature tells higher features what happened (sent after the flush).

- ``invitation_created(invitation, token=…, now=…, message=…)``: an invitation was made; ``token`` is the
  plain secret of its sign-up link, which exists only in this transaction (the database keeps its hash);
  ``message`` is what the inviting feature wants the invitee told (may be empty).
- ``password_reset_requested``, ``email_change_requested``: a single-use link to e-mail (plain ``token``).
- ``consent_changed``: a purpose's consent was given again or withdrawn (e.g. reminder e-mails).
"""

from blinker import Namespace

_signals = Namespace()

invitation_created = _signals.signal("invitation-created")
# ``password_reset_requested(user, token=…, now=…)``: someone asked for a reset link for this account.
password_reset_requested = _signals.signal("password-reset-requested")
# ``email_change_requested(user, token=…, new_email=…, now=…)``: the person asked to move to a new address;
# the confirmation link goes to that address.
email_change_requested = _signals.signal("email-change-requested")
# ``consent_changed(user, purpose=…, given=…, now=…)``: a consent was given again or withdrawn.
consent_changed = _signals.signal("consent-changed")
