"""Ofsted's inspections beside the returns, as View sections: the Inspection card of one authority,
the grades of several in a row, and the frame the workbook and the pack share.

The card shows the latest grades with the inspection's framework and dates, says that a judgement
is never a verdict on the IRO service, then quotes the report's paragraphs on IROs and on child
protection conferences, each with its number and date, under a line saying which inspection they
come from (an earlier one for 53 authorities). The quotations are ``Passage`` blocks with
``quote=True``: every renderer shows them as inert text. Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from official import ofsted as o
from views.base import Figure, Link, Passage, Section, Table

HEADING = "Inspection"
OFSTED_ATTRIBUTION = o.OFSTED_ATTRIBUTION
NO_TEXT = "No text of this authority's report is held here, so nothing is quoted."
NONE_ON = "No numbered paragraph of the report held speaks of {topic}."
TOPIC_WORDS = {
    o.IRO: "IROs or reviews of children in care",
    o.CP: "child protection conferences or their chairs",
}
PASSAGE_HEADINGS = {
    o.IRO: "What inspectors wrote about IROs and reviews of children in care",
    o.CP: "What inspectors wrote about child protection conferences and their chairs",
}
OVERALL_COLUMN = "Ofsted overall effectiveness"


def grades_frame(ins: o.Inspection) -> pd.DataFrame:
    """Each judgement made at the inspection and its grade, in Ofsted's order."""
    return pd.DataFrame(
        [{"Judgement": full, "Grade": grade} for _, full, grade in ins.judgements()],
        columns=["Judgement", "Grade"],
    )


def passages_frame(ins: o.Inspection, passages: Sequence[o.Passage]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Paragraph": p.paragraph,
                "About": "; ".join(o.TOPICS[t] for t in p.topics),
                "Report published": o.long_date(p.report_published),
                "Inspection": "earlier than the graded one" if p.earlier_than_graded else "the graded one",
                "Passage": p.text,
            }
            for p in passages
        ],
        columns=["Paragraph", "About", "Report published", "Inspection", "Passage"],
    )


def _passage_section(
    ins: o.Inspection, topic: str, data: o.OfstedData, level: int, intro: str | None
) -> Section:
    heading = f"{PASSAGE_HEADINGS[topic]}: {ins.name}"
    if ins.text is None:
        return Section(heading=heading, level=level, intro=intro, bullets=() if intro else (NO_TEXT,))
    found = data.passages(ins.dfe_code, topic)
    if not found:
        return Section(
            heading=heading, level=level, intro=intro, bullets=(NONE_ON.format(topic=TOPIC_WORDS[topic]),)
        )
    return Section(
        heading=heading,
        level=level,
        intro=intro,
        blocks=tuple(Passage(p.text, heading=p.reference, quote=True) for p in found),
    )


def inspection_sections(authority: str, *, level: int = 2, data: o.OfstedData | None = None) -> list[Section]:
    """The Inspection card of a return's authority: grades and dates, the report's address, then the
    passages on IROs and on CP conferences, under a line saying which inspection they come from.

    ``authority`` is the name a return gives; an unnamed or unknown authority gets a line saying why.
    """
    data = data or o.load_ofsted()
    ins, why = o.inspection_of(authority, data)
    if ins is None:
        return [Section(heading=HEADING, level=level, empty=why, notes=(o.OFSTED_ATTRIBUTION,))]
    if not ins.inspected:
        return [
            Section(
                heading=f"{HEADING}: {ins.name}",
                level=level,
                empty=f"{o.NOT_INSPECTED}: Ofsted's overview lists no inspection of {ins.name}'s children's services.",
                notes=(o.OFSTED_ATTRIBUTION,),
            )
        ]
    passages = data.passages(ins.dfe_code)
    tables = [
        Table(
            key=f"inspection_grades_{ins.dfe_code}",
            caption=f"Ofsted's judgements of {ins.name}'s children's services",
            frame=grades_frame(ins),
            sheet="Inspection",
            expanded=True,
        )
    ]
    if passages:
        tables.append(
            Table(
                key=f"inspection_passages_{ins.dfe_code}",
                caption=f"The passages quoted from the report on {ins.name}, as a table",
                frame=passages_frame(ins, passages),
                sheet="Inspection passages",
                wide=("Passage",),
                in_pack=False,
            )
        )
    blocks: tuple[Link, ...] = ()
    if ins.report_url:
        blocks = (
            Link(
                f"Ofsted's report of this inspection (published {o.long_date(ins.published)})", ins.report_url
            ),
        )
    card = Section(
        heading=f"{HEADING}: {ins.name}",
        level=level,
        intro=f"Ofsted's latest inspection of {ins.name}'s children's services: {ins.dates_text()}.",
        figures=(
            Figure(
                "Overall effectiveness",
                ins.grade("overall"),
                caption=f"Published {o.long_date(ins.published)}",
            ),
        ),
        tables=tuple(tables),
        bullets=(o.NOT_A_VERDICT,),
        blocks=blocks,
    )
    intro = f"{ins.text_note()} {o.QUOTED}"
    iro = _passage_section(ins, o.IRO, data, level, intro)
    cp = _passage_section(ins, o.CP, data, level, None)
    return [card, iro, replace(cp, notes=(o.OFSTED_ATTRIBUTION,))]


def grades_rows(authorities: Sequence[tuple[str, str]], data: o.OfstedData | None = None) -> pd.DataFrame:
    """The grades of several authorities in a row each judgement: (column name, return's authority) pairs
    give the columns; the rows are the judgements, then the inspection's date."""
    data = data or o.load_ofsted()
    rows = []
    found = {column: o.inspection_of(name, data)[0] for column, name in authorities}
    for key, short, _ in o.JUDGEMENTS:
        row = {"Judgement": short}
        for column, _ in authorities:
            ins = found[column]
            row[column] = ins.grade(key) if ins else o.NOT_AVAILABLE
        rows.append(row)
    when = {"Judgement": "Latest inspection"}
    for column, _ in authorities:
        ins = found[column]
        when[column] = ins.dates_text() if ins else o.NOT_AVAILABLE
    rows.append(when)
    return pd.DataFrame(rows, columns=["Judgement", *(c for c, _ in authorities)])


def grades_section(authorities: Sequence[tuple[str, str]], data: o.OfstedData | None = None) -> Section:
    """Side by side: each authority's latest Ofsted grades in a row per judgement."""
    frame = grades_rows(authorities, data)
    return Section(
        heading="Ofsted's latest judgements",
        intro=o.NOT_A_VERDICT,
        tables=(
            Table(
                key="side_by_side_inspection",
                caption="Each authority's latest Ofsted grades, one row per judgement",
                frame=frame,
                sheet="Inspection",
                expanded=True,
            ),
        ),
        notes=(
            "Care leavers were judged with children in care at inspections before January 2023: "
            f"'{o.NOT_SEPARATE}'. Each authority's Inspection card (choose it alone) quotes what inspectors "
            "wrote about IROs and child protection conferences.",
            o.OFSTED_ATTRIBUTION,
        ),
    )
