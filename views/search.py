"""Search answers: free text across every answer, grouped by authority and question."""

from __future__ import annotations

import pandas as pd

from analysis import search
from models.vocabulary import MODEL_LABELS, ROLE_LABELS, plural
from official import ofsted
from views.base import Passage, Section, Selection, Table, View

TITLE = "Search answers"
INTRO = (
    "Search every answer (expectations, quality inputs, impact, and caseloads in words), and what Ofsted's "
    "inspectors wrote about IROs and child protection conferences in each authority's latest report held. "
    'Not case sensitive; with several words, an answer must contain them all; put a phrase in "quotes" to '
    "keep its words together. The role, model and authority filters in the sidebar apply."
)
INSPECTION = "Inspection"
PROMPT = (
    "Type a word or a few words above, for example 'midway', 'audit' or 'Plymouth University'. "
    "Every answer containing all of them is listed, grouped by authority."
)
#: The longest query taken (longer text is cut, and the page says so).
MAX_QUERY = 200


def build(
    sel: Selection, *, query: str = "", include_published: bool = False, narrowed: bool = False
) -> View:
    """The answers containing every word of ``query`` under the filters.

    ``narrowed`` says the reader has narrowed the model, authority or role filters (for the hint when
    nothing is found); ``include_published`` whether published descriptions are searched.
    """
    query = (query or "")[:MAX_QUERY]
    words = search.terms(query)
    filters = (*sel.filters, f"Search: {query}") if query else sel.filters
    if not words:
        return View(key="search", title=TITLE, intro=INTRO, empty=PROMPT, filters=filters)
    hits = search.search(
        sel.returns, query, roles=sel.roles, models=sel.models, published_rounds=sel.published_rounds
    )
    found = search.search_passages(sel.returns, query, roles=sel.roles)
    if not hits and not found:
        loosen = "Try fewer words, or another spelling"
        if narrowed:
            loosen += "; or loosen the filters in the sidebar (model, authorities, role)"
        if not include_published:
            loosen += "; or include the published service descriptions"
        return View(
            key="search",
            title=TITLE,
            intro=INTRO,
            empty=f"No answer contains {' and '.join(repr(w) for w in words)}"
            + (
                ", nor does any inspection passage"
                if any(ofsted.inspection_of(r.authority)[0] for r in sel.returns)
                else ""
            )
            + f". {loosen}.",
            filters=filters,
        )
    grouped = search.group_hits(hits)
    roles = " and ".join(ROLE_LABELS[r] for r in sel.roles)
    summary = (
        f"{len(hits)} answer{'s' if len(hits) != 1 else ''} from {plural(len(grouped), 'authority')} "
        f"({roles} answers"
        + (f"; models: {', '.join(MODEL_LABELS[m] for m in sel.models)}" if sel.models else "")
        + ")"
        + (
            f"; {plural(len(found), 'inspection passage')} from {plural(len({h.authority for h in found}), 'report')}, "
            f"under {INSPECTION}"
            if found
            else ""
        )
        + "."
    )
    sections = [Section(heading="Results", intro=summary)]
    for authority, items in grouped.items():
        blocks = []
        for hit in items:
            lines = search.matching_lines(hit.text, words)
            shown = "\n".join(lines)
            blocks.append(
                Passage(
                    shown,
                    heading=hit.question,
                    marks=tuple(words),
                    more=hit.text if len(lines) < len(hit.text.splitlines()) else None,
                )
            )
        sections.append(Section(heading=authority, level=3, intro=items[0].model, blocks=tuple(blocks)))
    table = pd.DataFrame(
        [
            {"Authority": h.authority, "Model": h.model, "Question": h.question, "Answer": h.text}
            for h in hits
        ],
        columns=["Authority", "Model", "Question", "Answer"],
    )
    if hits:
        sections.append(
            Section(
                tables=(
                    Table(
                        key="search_results",
                        caption="Every answer found, as a table",
                        frame=table,
                        sheet="Results",
                        wide=("Answer",),
                    ),
                )
            )
        )
    if found:
        sections += inspection_sections(found, words)
    notes = (ofsted.OFSTED_ATTRIBUTION,) if found else ()
    return View(
        key="search", title=TITLE, intro=INTRO, sections=tuple(sections), filters=filters, notes=notes
    )


def inspection_sections(found: list[search.PassageHit], words: list[str]) -> list[Section]:
    """The passages found, under Inspection: by authority, each naming its report and paragraph."""
    out = [
        Section(
            heading=INSPECTION,
            intro="What Ofsted's inspectors wrote, quoted from each authority's latest report held. "
            + ofsted.NOT_A_VERDICT,
        )
    ]
    by_authority: dict[str, list[search.PassageHit]] = {}
    for h in found:
        by_authority.setdefault(h.authority, []).append(h)
    for authority, items in by_authority.items():
        out.append(
            Section(
                heading=f"{INSPECTION}: {authority}",
                level=3,
                intro=items[0].inspection.text_note(),
                blocks=tuple(
                    Passage(h.passage.text, heading=h.passage.reference, marks=tuple(words))
                    for h in found
                    if h.authority == authority
                ),
            )
        )
    frame = pd.DataFrame(
        [
            {
                "Authority": h.authority,
                "Report published": ofsted.long_date(h.passage.report_published),
                "Inspection": "earlier than the graded one"
                if h.passage.earlier_than_graded
                else "the graded one",
                "Paragraph": h.passage.paragraph,
                "Passage": h.passage.text,
            }
            for h in found
        ],
        columns=["Authority", "Report published", "Inspection", "Paragraph", "Passage"],
    )
    out.append(
        Section(
            tables=(
                Table(
                    key="search_inspection_results",
                    caption="Every inspection passage found, as a table",
                    frame=frame,
                    sheet="Inspection results",
                    wide=("Passage",),
                ),
            ),
            notes=(ofsted.OFSTED_ATTRIBUTION,),
        )
    )
    return out
