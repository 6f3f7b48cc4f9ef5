"""CSV exports of a closed round, from its results snapshot: the results table and, in a survey that
declared it, the pseudonymous response matrix.

Both start with comment lines ("# …") giving the consensus rule and when it was frozen.
"""

import csv
import io

from flask_babel import gettext as _

from engage.csvutil import csv_safe
from engage.delphi.labels import delphi_group_label as group_label
from engage.delphi.models import DelphiRound, DelphiRoundSnapshot
from engage.delphi.services.results import SUPPRESSED, group_keys
from engage.delphi.services.snapshot import round_results

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
        _("Groups shown")
        + ": "
        + (" ".join(name for names in results["disclosure"]["shown"].values() for name in names) or "-")
        + "; "
        + _("other groups are blank: fewer than 5 respondents, or hidden so that no smaller group can be worked out"),
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
    """One row per item, with both wordings; overall and per group (region, category, language) statistics;
    groups not shown are blank."""
    results = round_results(round_)
    groups = [("overall", "overall", None)] + [
        (f"{kind}:{name}", kind, name) for kind, names in group_keys().items() for name in names
    ]
    out = io.StringIO()
    _preamble(out, round_, results)
    writer = csv.writer(out)
    # The header row is read by people in a spreadsheet: group and figure names in their language.
    headings = _stat_headings()
    writer.writerow(
        [_("Item"), _("Position"), _("Statement"), _("Statement in Chinese"), _("Distribution (value: count)")]
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
            csv_safe(item.get("text_zh", "")),
            " ".join(f"{value}:{count}" for value, count in overall.get("distribution", {}).items()),
        ]
        for _label, kind, name in groups:
            # A round closed before language groups existed has none in its snapshot: blank, like a hidden group.
            stats = overall if kind == "overall" else item.get(f"by_{kind}", {}).get(name, SUPPRESSED)
            row += ["" if stats.get("suppressed") else _cell(stats.get(column)) for column in STAT_COLUMNS]
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def matrix_csv(round_: DelphiRound, snapshot: DelphiRoundSnapshot) -> str:
    """The response matrix as frozen in the snapshot: one row per respondent, under its code of this round."""
    results = snapshot.results
    item_ids = [item["item_id"] for item in results["items"]]
    out = io.StringIO()
    _preamble(out, round_, results)
    note = _("Released as the panel was told when invited: one row per respondent; codes change every round")
    out.write("# " + note.replace(",", ";") + "\r\n")
    writer = csv.writer(out)
    # The language each respondent read the items in and answered (en, zh; blank if not recorded).
    writer.writerow(["respondent", "language"] + [f"item_{item_id}" for item_id in item_ids])
    for row in snapshot.matrix:
        writer.writerow(
            [row["pseudonym"], row.get("language") or ""]
            + [row["ratings"].get(str(item_id), "") for item_id in item_ids]
        )
    return "\ufeff" + out.getvalue()
