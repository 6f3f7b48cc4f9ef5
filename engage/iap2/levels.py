"""The five levels of the IAP2 Spectrum, with their goal and promise in our own words.

After the IAP2 Spectrum of Public Participation, © IAP2 International Federation.
"""

import enum

from flask_babel import lazy_gettext as _l

ATTRIBUTION = _l("After the IAP2 Spectrum of Public Participation, © IAP2 International Federation.")


class IAP2Level(enum.Enum):
    INFORM = "inform"
    CONSULT = "consult"
    INVOLVE = "involve"
    COLLABORATE = "collaborate"
    EMPOWER = "empower"

    @property
    def rank(self) -> int:
        """1 (Inform) to 5 (Empower): each level includes the commitments of those below it."""
        return _ORDER.index(self) + 1

    @classmethod
    def from_rank(cls, rank: int) -> "IAP2Level":
        return _ORDER[rank - 1]

    @property
    def label(self) -> str:
        return str(_TEXTS[self][0])

    @property
    def goal(self) -> str:
        return str(_TEXTS[self][1])

    @property
    def promise(self) -> str:
        return str(_TEXTS[self][2])

    @property
    def owes_feedback(self) -> bool:
        """From Consult up, participants are owed an account of how their input was used."""
        return self.rank >= IAP2Level.CONSULT.rank


_ORDER = list(IAP2Level)

_TEXTS = {
    IAP2Level.INFORM: (
        _l("Inform"),
        _l(
            "Give people clear, balanced and timely information so they can understand the issue, "
            "the options and the reasons behind them."
        ),
        _l("We will keep you informed."),
    ),
    IAP2Level.CONSULT: (
        _l("Consult"),
        _l("Ask people for their views on an analysis, options or a draft before the decision is taken."),
        _l("We will listen to you, record what you said, and tell you how your input influenced the decision."),
    ),
    IAP2Level.INVOLVE: (
        _l("Involve"),
        _l(
            "Work with people throughout the process so that their concerns and hopes are understood "
            "and taken into account at every step."
        ),
        _l(
            "We will work with you so that your concerns and hopes show in the options we develop, "
            "and tell you how your input influenced the decision."
        ),
    ),
    IAP2Level.COLLABORATE: (
        _l("Collaborate"),
        _l(
            "Partner with people in each part of the decision, including developing the alternatives "
            "and choosing the preferred one."
        ),
        _l(
            "We will look to you for advice and new ideas, and build your advice and recommendations "
            "into the decision as far as we possibly can."
        ),
    ),
    IAP2Level.EMPOWER: (
        _l("Empower"),
        _l("Place the final decision in the hands of the participants."),
        _l("We will carry out what you decide."),
    ),
}
