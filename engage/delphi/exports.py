"""CSV exports of a round: the results table and the anonymised response matrix.

Both start with comment lines ("# …") giving the consensus rule and when it was frozen.
"""

import csv
import hashlib
import hmac
import io

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.csvutil import csv_safe
from engage.delphi.models import DelphiRating, DelphiResponse, DelphiRound, ResponseStatus
from engage.delphi.services.results import group_keys, round_results
from engage.errors import DomainError
from engage.extensions import db
from engage.labels import group_label

STAT_COLUMNS = (
    "n_valid",
    "n_cannot_rate",
    "median",
    "q1",
    "q3",
    "iqr",
    "mean",
    "sd",
    "agreement_percent",
    "has_consensus",
)


def _stat_headings() -> list[str]:
    names = {
        "n_valid": _("valid ratings"), "n_cannot_rate": _("cannot rate"), "median": _("median"),
        "q1": _("first quartile"), "q3": _("third quartile"), "iqr": _("IQR"), "mean": _("mean"),
        "sd": _("SD"), "agreement_percent": _("% agreement"), "has_consensus": _("consensus"),
    }  # fmt: skip
    return [names[column] for column in STAT_COLUMNS]


def pseudonym(secret: str, survey_id: int, user_id: int) -> str:
    """A stable id per panellist and survey that cannot be turned back into the person without the secret."""
    digest = hmac.new(secret.encode(), f"delphi:{survey_id}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:12]


def _preamble(out: io.StringIO, round_: DelphiRound, results: dict) -> None:
    """Comment lines before the header: the survey, the frozen rule, the quantile definition.

    Written as plain lines (commas and quotes replaced) so that every line starts with "#".
    """
    rule = results["rule"]

    def values(numbers) -> str:
        return " ".join(str(n) for n in numbers) or "-"

    lines = [
        f"{csv_safe(round_.survey.title)} — " + _("round %(n)d", n=round_.number),
        _("Consensus rule") + f": scale {rule['scale_min']}–{rule['scale_max']}; agreeing values "
        f"{values(rule['agreeing_values'])}; threshold {rule['threshold_percent']} %; veto "
        f"{rule['veto_max_percent'] if rule['veto_max_percent'] is not None else '-'} % for values "
        f"{values(rule['disagreeing_values'])}; minimum valid ratings {rule['min_valid_ratings']}; "
        f"cannot rate allowed {'yes' if rule['allows_cannot_rate'] else 'no'}; frozen at {rule['frozen_at']}",
        results["quantile_definition"],
    ]
    for line in lines:
        out.write("# " + line.replace(",", ";").replace('"', "'").replace("\n", " ") + "\r\n")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def results_csv(round_: DelphiRound) -> str:
    """One row per item; overall and per group statistics; suppressed groups (n < 5) are blank."""
    results = round_results(round_, require_closed=False)
    groups = [("overall", "overall", None)] + [
        (f"{kind}:{name}", kind, name) for kind, names in group_keys().items() for name in names
    ]
    out = io.StringIO()
    _preamble(out, round_, results)
    writer = csv.writer(out)
    # The header row is read by people in a spreadsheet: group and figure names in their language.
    headings = _stat_headings()
    writer.writerow(
        [_("Item"), _("Position"), _("Statement"), _("Distribution (value: count)")]
        + [
            _("%(group)s: %(figure)s", group=_("All") if kind == "overall" else group_label(kind, name), figure=heading)
            for _label, kind, name in groups
            for heading in headings
        ]
    )
    for item in results["items"]:
        overall = item["overall"]
        row = [
            item["item_id"],
            item["position"],
            csv_safe(item["text"]),
            " ".join(f"{value}:{count}" for value, count in overall.get("distribution", {}).items()),
        ]
        for _label, kind, name in groups:
            stats = overall if kind == "overall" else item[f"by_{kind}"][name]
            row += ["" if stats.get("suppressed") else _cell(stats.get(column)) for column in STAT_COLUMNS]
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def matrix_csv(round_: DelphiRound, secret: str) -> str:
    """Submitted ratings as panellist × item, panellists only as pseudonyms (sorted, so no order leaks)."""
    results = round_results(round_, require_closed=False)
    if results["is_suppressed"]:
        raise DomainError(
            _("Fewer than 5 panellists responded; the response matrix could identify them."), code="too_few_respondents"
        )
    item_ids = [item["item_id"] for item in results["items"]]
    rows = db.session.execute(
        sa.select(DelphiRating.panellist_id, DelphiRating.item_id, DelphiRating.value, DelphiRating.is_cannot_rate)
        .join(
            DelphiResponse,
            sa.and_(
                DelphiResponse.round_id == DelphiRating.round_id,
                DelphiResponse.panellist_id == DelphiRating.panellist_id,
            ),
        )
        .where(DelphiRating.round_id == round_.id, DelphiResponse.status == ResponseStatus.SUBMITTED)
    )
    matrix: dict[str, dict[int, str]] = {}
    for panellist_id, item_id, value, cannot in rows:
        key = pseudonym(secret, round_.survey_id, panellist_id)
        matrix.setdefault(key, {})[item_id] = "cannot rate" if cannot else _cell(value)
    out = io.StringIO()
    _preamble(out, round_, results)
    writer = csv.writer(out)
    writer.writerow(["panellist"] + [f"item_{item_id}" for item_id in item_ids])
    for key in sorted(matrix):
        writer.writerow([key] + [matrix[key].get(item_id, "") for item_id in item_ids])
    return "\ufeff" + out.getvalue()
