"""The reference paper's indicator examples (Beccia et al., Front. Med. 2025, Discussion), on the demo roadmap,
with a few plausible measurements so the scorecard shows trends. The measured values are illustrative; their
dates are the real calendar's, as indicators track the world rather than the demo's own timeline."""

from datetime import date

from engage.demo import chinese
from engage.demo.story import Story
from engage.indicators.models import Direction, Unit
from engage.indicators.services import add_measurement, create_indicator

DEMO_INDICATORS = [
    {
        "action": (2, 1, "a"),
        "name": "DPYD testing before fluoropyrimidine treatment",
        "definition": "Share of patients starting fluoropyrimidine chemotherapy who were tested for DPYD deficiency "
        "beforehand.",
        "unit": Unit.PERCENT, "baseline": (20, 30), "baseline_on": date(2023, 1, 1),
        "target": 70, "target_on": date(2030, 12, 31), "scope": "overall",
        "data_source": "National oncology registries; hospital pharmacy audits", "owner": "WG 2 lead",
        "measurements": [
            ("EU", date(2024, 6, 30), 33), ("EU", date(2025, 6, 30), 41), ("EU", date(2026, 6, 30), 47),
            ("China", date(2024, 6, 30), 24), ("China", date(2025, 6, 30), 27), ("China", date(2026, 6, 30), 31),
        ],
    },
    {
        "action": (1, 2, "c"),
        "name": "National programmes adopting roadmap actions",
        "definition": "Number of national or provincial programmes that adopted at least one roadmap action.",
        "unit": Unit.COUNT, "baseline": (0, None), "baseline_on": date(2024, 1, 1),
        "target": 12, "target_on": date(2030, 12, 31), "scope": "overall",
        "data_source": "Consortium policy monitoring", "owner": "Coordinator",
        "measurements": [("overall", date(2025, 1, 31), 1), ("overall", date(2025, 12, 31), 4)],
    },
    {
        "action": (1, 2, "a"),
        "name": "Personalised medicine in clinical guidelines",
        "definition": "Share of national oncology clinical guidelines that recommend biomarker-guided treatment.",
        "unit": Unit.PERCENT, "baseline": (35, None), "baseline_on": date(2023, 1, 1),
        "target": 60, "target_on": date(2030, 12, 31), "scope": "EU",
        "data_source": "Guideline repositories of the member states", "owner": "WG 1 lead",
        "measurements": [("EU", date(2024, 3, 31), 37), ("EU", date(2025, 3, 31), 40), ("EU", date(2026, 3, 31), 46)],
    },
    {
        "action": (3, 2, "b"),
        "name": "Regulatory frameworks updated with personalised-medicine provisions",
        "definition": "Number of jurisdictions whose regulatory framework was updated with provisions on "
        "personalised medicine (companion diagnostics, data access).",
        "unit": Unit.COUNT, "baseline": (2, None), "baseline_on": date(2023, 1, 1),
        "target": 15, "target_on": date(2030, 12, 31), "scope": "overall",
        "data_source": "EMA / NMPA regulatory updates", "owner": "WG 3 lead",
        "measurements": [("overall", date(2024, 12, 31), 4), ("overall", date(2025, 12, 31), 6)],
    },
    {
        "action": (3, 1, "a"),
        "name": "Patient participation in personalised-medicine trials",
        "definition": "Share of personalised-medicine trials with patient representatives involved in their design.",
        "unit": Unit.PERCENT, "baseline": (10, 15), "baseline_on": date(2023, 1, 1),
        "target": 50, "target_on": date(2030, 12, 31), "scope": "overall",
        "data_source": "Trial registries (CTIS, ChiCTR)", "owner": "WG 3 lead",
        "measurements": [
            ("EU", date(2024, 12, 31), 19), ("EU", date(2025, 12, 31), 24),
            ("China", date(2024, 12, 31), 14), ("China", date(2025, 12, 31), 18),
        ],
    },
]  # fmt: skip


def create_indicators(story: Story, *, day: int) -> None:
    """The coordinator defines each indicator on its action and records the measurements."""
    coordinator, now = story.cast.coordinator, story.clock.at(day, 15)
    for spec in DEMO_INDICATORS:
        number, position, letter = spec["action"]
        low, high = spec["baseline"]
        indicator = create_indicator(
            actor=coordinator,
            data={
                "roadmap_action_id": story.actions[f"{number}.{position}.{letter}"].id,
                "name": spec["name"], "definition": spec["definition"], "unit": spec["unit"],
                "direction": Direction.HIGHER_IS_BETTER, "baseline_low": low, "baseline_high": high,
                "baseline_on": spec["baseline_on"], "target_value": spec["target"], "target_on": spec["target_on"],
                "scope": spec["scope"], "tolerance": 0.1, "data_source": spec["data_source"], "owner": spec["owner"],
            },
            now=now,
        )  # fmt: skip
        indicator.name_zh, indicator.definition_zh = chinese.INDICATORS[spec["name"]]
        for scope, measured_on, value in spec["measurements"]:
            add_measurement(
                indicator,
                actor=coordinator,
                data={"scope": scope, "measured_on": measured_on, "value": value, "source": spec["data_source"]},
                now=now,
            )
