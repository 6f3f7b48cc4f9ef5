"""The demo's PDFs read back: the scorecard says its date, the roadmap keeps each pillar heading with its table."""

import re

from engage.timeutil import utcnow


def test_scorecard_says_as_of_which_date_on_the_page_and_in_the_pdf(db, client, read_pdf):
    from engage.timeutil import format_day

    today = format_day(utcnow().date(), locale="en")
    page = client.get("/scorecard").get_data(as_text=True)
    assert f"Status as of {today}, from the latest measurement of each indicator." in page
    pages = read_pdf(client.get("/scorecard.pdf").data)
    text = " ".join(" ".join(p["text"].split()) for p in pages)
    assert f"Status as of {today}" in text and "DPYD testing before fluoropyrimidine treatment" in text
    assert "off track" in text and "on track" in text
    assert [p["outside"] for p in pages if p["outside"]] == []


def test_roadmap_pdf_keeps_each_pillar_heading_with_its_table(db, client, read_pdf):
    from engage.demo.codebook import CODEBOOK

    pages = read_pdf(client.get("/roadmap.pdf").data)
    for number, name, _description, themes in CODEBOOK:
        heading = f"Pillar {number}: {name}"
        holding = [p["text"] for p in pages if heading in " ".join(p["text"].split())]
        assert holding, heading
        # The page with the heading also starts the table: the pillar's first theme is its first column.
        assert themes[0][0].split()[0] in holding[0], f"{heading} is alone at the foot of a page"
    for page in pages[:-1]:
        # The last line above the running footer: never an action's heading or its "Pillar n › …" caption.
        body = [line for line in page["text"].splitlines() if line.strip() and line not in ("Engage", "Roadmap")]
        last = body[-2] if body[-1].startswith("Roadmap actions and their source priorities") else body[-1]
        assert not re.match(r"^(Pillar \d+ ›|\d+\.\d+\.[a-z] )", last), f"left alone at the foot of a page: {last}"
    assert [p["outside"] for p in pages if p["outside"]] == []
