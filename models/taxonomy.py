"""The two taxonomies used to code every return, the rule for coding them, and the codebook.

Each code is a short descriptive snake_case word with a label (what users read),
a one-line definition, what counts and what does not, and the borderline calls
made in coding the sources. Codes are stable: data files, the database and
exported workbooks store the code, so a code is never renamed; a new idea gets
a new code.

``CODING_RULE`` is the rule, written once: the form's help, the QA page's
caption and the workbook's About sheet all show it from here.
``EXAMPLES`` are real sentences from the sources, each counted or not counted
for a code; ``tests/test_coding.py`` checks them against the returns, and
``codebook_markdown()`` writes ``docs/coding.md`` from all of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.coding_examples import EXAMPLES

#: The rule for QA activities (shown in the form's help for the QA codes).
QA_RULE = (
    "An authority's QA activities for a role are coded from everything it wrote for that role "
    "(expectations, input into quality and impact), because the question is whether the authority "
    "does something, not which box it was written in."
)
#: The rule for impact evidence (shown in the form's help for the impact codes).
IMPACT_RULE = (
    "How impact is evidenced is coded from the impact answer, and from the other answers only where "
    "they say how impact is shown."
)
#: How every return is coded, in three sentences: the form's help, the QA page's caption and the
#: workbook's About sheet show this.
CODING_RULE = " ".join(
    (
        QA_RULE,
        IMPACT_RULE,
        "Every code rests on at least one sentence quoted exactly from that role's answers.",
    )
)

#: When one sentence may support a code in both taxonomies.
SHARED_SENTENCE_RULE = (
    "A sentence supports a code in both taxonomies only where it is in the impact answer and names an "
    "activity as the way impact is shown (for example a feedback survey or a manager's dip sample), and "
    "no sentence in the other answers says the same activity; otherwise a QA activity rests on the "
    "expectations or input into quality, and impact evidence on the impact answer."
)


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    definition: str
    #: What counts, in more words than the definition.
    counts: str = ""
    #: What does not count, though it may look alike.
    does_not_count: str = ""
    #: Calls made where the sources could be read either way.
    borderline: tuple[str, ...] = ()


QA_ACTIVITIES: tuple[Code, ...] = (
    Code(
        "midway_review",
        "Midway or progress reviews",
        "The officer checks progress of the plan between meetings (midway review, "
        "progress review, mid-way tracking, progress update).",
        counts="A named check of the plan's progress between meetings: a midway, mid-point or progress "
        "review, mid-way tracking, progress updates, progress chasing between reviews, a file review with "
        "the team ahead of a later review, keeping track of progress through pre- and post-review processes.",
        does_not_count="A general duty to monitor or oversee plans, or case discussions, where the answer "
        "does not say the check is of the plan's progress between meetings.",
        borderline=(
            "'Progress chasing ... between reviews' (Brighton and Hove) and a file review with the social "
            "work team 4 weeks before the third review and every later one, 'to ensure clarity and "
            "progression of planning' (West Sussex, CP chairs) are both checks of progress between "
            "meetings: both count.",
            "'IRO Case Discussions (IRO case monitoring)' (Southampton) do not say they fall between "
            "reviews or check the plan's progress: not counted.",
        ),
    ),
    Code(
        "post_meeting_qa_form",
        "QA form after each meeting",
        "The chair completes a quality assurance, monitoring or audit form after each meeting they chair.",
        counts="A QA, monitoring or audit form, or the chair's audit of the case, completed after each "
        "meeting or review the officer chairs.",
        does_not_count="Quality-assuring a draft plan or reports before a meeting; minutes and records of "
        "the meeting itself.",
        borderline=(
            "Dudley's review monitoring form is a row of its chart for subsequent reviews (within 5 working "
            "days; action by the IRO and safeguarding admin): counted for the IRO.",
        ),
    ),
    Code(
        "case_file_audit",
        "Case-file audits",
        "The officers take part in a routine programme of case-file audits, or in audits their answer does "
        "not describe further.",
        counts="A routine or monthly audit programme or cycle, annual audit work, or audits the answer names "
        "without saying they are themed or on request.",
        does_not_count="Attending audit discussions led by others; managers' audits of plans that the "
        "answer does not say the officers take part in.",
        borderline=(
            "A bare 'Audits' among the formal QA roles (Brighton and Hove) counts: the officers audit, and "
            "nothing says the audits are themed or on request.",
            "Audits named by topic within annual audit work ('care plan audit, Participation audits', "
            "Hampshire) are the routine programme: case-file audits, not thematic.",
        ),
    ),
    Code(
        "thematic_audit",
        "Thematic audits",
        "The officers complete themed or bespoke audits when asked.",
        counts="Audits the answer calls thematic, themed or bespoke, or done when requested.",
        does_not_count="Audits named by topic within a routine or annual programme.",
    ),
    Code(
        "dip_sampling",
        "Dip sampling by managers",
        "Managers dip-sample or regularly review the officers' own work or advice to check its quality.",
        counts="A manager's dip sample, audit or regular review of the officers' own work, records or advice.",
        does_not_count="Managers' audits of plans or of social work practice that do not say they look at the "
        "officers' own work; a manager's oversight or supervision alone (that is impact evidence, 'manager "
        "oversight', where offered as such).",
        borderline=(
            "Kent's Quality Assurance Managers' 'regular reviews of each aspect of the CP Chairs work to "
            "assure the practice' are a manager's check of the officers' own work: counted.",
            "Dudley's Service Managers' quality policies 'should include ... auditing of the records, "
            "supervision, and direct observation of each IRO': counted.",
        ),
    ),
    Code(
        "dispute_resolution",
        "Dispute resolution or escalation",
        "The officers raise challenge through a formal dispute resolution, alert or escalation process.",
        counts="Any sentence in which the officers escalate, raise a dispute, alert or Practice Escalation, or "
        "use a named challenge, dispute or issues resolution process, in whichever answer it is written.",
        does_not_count="A general duty to challenge or scrutinise that names no process and no escalation; "
        "escalation by someone other than the officers.",
        borderline=(
            "Escalation sentences are coded evenly: 'escalate and ensure resolution' (Hampshire, IRO), "
            "'escalate concerns' (Hampshire, CP chairs), 'raise a Practice Escalation' (Kent) all count.",
            "'Raising challenge where necessary' (Brighton and Hove, CP chairs) names no process and is not "
            "a supporting sentence; the same return's 'Challenge processes' is.",
        ),
    ),
    Code(
        "consultation",
        "Consultation to social work teams",
        "The officers give advice and consultation to social work teams, including "
        "before an initial child protection conference.",
        counts="Consultation, advice or guidance the officers give to social workers or operational teams.",
        does_not_count="Acting as a link or liaison to teams where the answer does not say the officers advise; "
        "support and guidance given within a midway review (that is the review).",
    ),
    Code(
        "readiness_check",
        "Pre-meeting readiness checks",
        "Before a meeting the officer checks the case is ready (reports done and "
        "shared, checklist completed).",
        counts="A check before a meeting that reports are done, authorised and shared, a checklist, or a "
        "standard that a meeting goes ahead only with an up-to-date report and plan, with a missing report "
        "challenged.",
        does_not_count="Preparation conversations with the child, family or social worker before a meeting.",
    ),
    Code(
        "training_delivery",
        "Training delivery",
        "The officers deliver training to social work staff or partner agencies.",
        counts="Delivering, providing or contributing to training for social work staff or partner agencies.",
        does_not_count="Attending training; a 'lead role eg for training' that does not say the officers "
        "deliver it.",
    ),
    Code(
        "learning_reviews",
        "Learning reviews, IMRs and case reviews",
        "The officers write or contribute to learning reviews, individual management "
        "reviews or serious case reviews.",
        counts="Writing or contributing to learning reviews, IMRs, case reviews or SCRs.",
        does_not_count="Analyses of the officers' own caseload, such as repeat-plan analysis.",
    ),
    Code(
        "panels",
        "Panels",
        "The officers sit on or contribute to panels, such as permanence panels or "
        "panels for long or repeat child protection plans.",
        counts="Sitting on, representing the service at, or giving views to a panel the answer calls a panel.",
        does_not_count="Planning, strategy or risk management meetings; 'formal processes' for long or repeat "
        "plans that the answer does not call a panel.",
    ),
    Code(
        "practice_observation",
        "Observation of chairing practice",
        "A manager observes the officer chairing a meeting.",
        counts="A manager observes the officer chairing.",
        does_not_count="A cited recommendation that QA should include observation, where the answer does not "
        "say it is done (the commitment itself counts).",
    ),
    Code(
        "service_user_feedback",
        "Service-user feedback",
        "Children, families or professionals are asked for, or give, feedback on the meetings the officers "
        "chair or on the officers' work.",
        counts="Feedback sought, surveyed or received from children, families, carers or professionals on "
        "the meetings the officers chair or on the officers' work, in whichever answer it is written.",
        does_not_count="Feedback on something else, such as training events; a survey within a wider study of "
        "practice.",
        borderline=(
            "A feedback item in the impact answer ('Feedback from clients/carers/ partner agencies', "
            "Hampshire) shows that feedback is gathered on the officers' work: counted here as well as for "
            "impact.",
            "Southampton's 'parental surveys as part of a wider study of practice undertaken by Plymouth "
            "University' are impact evidence, but not feedback the service seeks on the chairs' meetings: "
            "not counted here.",
        ),
    ),
    Code(
        "performance_reporting",
        "Performance reporting to boards",
        "The service's QA findings or performance are reported to a board, panel or leadership meeting.",
        counts="Reports or findings shared with a board, leadership team, Directorate Management Team, "
        "Cabinet or safeguarding children board.",
        does_not_count="A dashboard or report open to managers that the answer does not say goes to a board "
        "or leadership meeting.",
    ),
    Code(
        "good_practice_recognition",
        "Recognising good practice",
        "The officers formally identify and feed back good practice, not only shortfalls.",
        counts="Identifying, recognising, reporting or feeding back good practice (a tool, a report, an "
        "expectation to say where standards are good).",
        does_not_count="Promoting or modelling good practice.",
    ),
)

IMPACT_EVIDENCE: tuple[Code, ...] = (
    Code(
        "service_user_feedback",
        "Service-user feedback",
        "Feedback or surveys from children, families, carers or professionals.",
        counts="Feedback, surveys or consultation papers offered as evidence of impact.",
        does_not_count="The quality of plans or how far they reflect the child's wishes.",
    ),
    Code(
        "audit_findings",
        "Audit findings",
        "Findings of case-file, thematic or management audits, or audit activity and QA-and-audit reports "
        "offered as evidence of impact.",
        counts="Audit activity, audit findings or messages, or a QA and audit report, offered as evidence of "
        "impact.",
        does_not_count="Case reviews and learning reviews; audits described only as a QA activity in the "
        "other answers.",
        borderline=(
            "Coded evenly: a dip-sample audit (Windsor and Maidenhead, CP chairs) and a quarterly QA and audit "
            "report scrutinised at a board (Medway) count, as do 'Key messages from audit' (Brighton and Hove) "
            "and 'Outcome and impact of audits' (West Berkshire).",
        ),
    ),
    Code(
        "performance_data",
        "Performance data",
        "Figures such as timeliness, length of plans, repeat plans, permanence or placement stability.",
        counts="A measure offered as evidence, with or without the word data: timeliness, length of plans, "
        "repeat plans, permanence, placement stability, performance against targets.",
        does_not_count="Figures the authority expects to see in future; the quality of plans.",
    ),
    Code(
        "escalation_data",
        "Escalation data",
        "Records or analysis of disputes, alerts and escalations and their outcomes.",
        counts="Disputes, alerts and escalations raised, their use, outcomes or analysis, offered as evidence "
        "of impact.",
        does_not_count="The escalation process described in the other answers without saying it shows impact.",
        borderline=(
            "Coded evenly: each impact answer that offers escalations as evidence counts (Kent, Hampshire and "
            "West Berkshire as well as Southampton, Surrey, Medway, Brighton and Hove, Windsor and "
            "Maidenhead).",
        ),
    ),
    Code(
        "participation_rates",
        "Participation rates",
        "How far children and families take part in their meetings and plans.",
        counts="How many or how far children and families take part, offered as evidence.",
        does_not_count="What the officers do to hear the child (meeting them before a review).",
    ),
    Code(
        "manager_oversight",
        "Manager oversight",
        "Managers review, dip-sample or supervise the officers' work to judge its impact.",
        counts="Managers overseeing, reviewing, dip-sampling or supervising the officers' work, offered as "
        "evidence.",
        does_not_count="A manager's team plan or improvement plan reviewed to show impact.",
    ),
    Code(
        "case_record_footprint",
        "Footprint on case records",
        "The officers' involvement is visible on children's case records (case "
        "notes, review records, letters to the child).",
        counts="Case notes, review records, minutes or letters to the child, offered as evidence of impact.",
        does_not_count="A duty to record decisions, stated as an expectation.",
    ),
    Code(
        "annual_report",
        "Annual report",
        "An annual report on the service's work and impact.",
        counts="An annual report offered as evidence of impact, or considered by a board or Cabinet.",
        does_not_count="An annual report mentioned in the other answers without saying it shows impact.",
    ),
    Code(
        "not_yet_evidenced",
        "Not yet able to evidence",
        "The authority says it cannot yet evidence the impact of the role.",
        counts="The answer says impact cannot yet be evidenced.",
        does_not_count="Impact said to be limited, where the answer goes on to evidence some of it.",
    ),
)


def _enum(name: str, codes: tuple[Code, ...]) -> type[StrEnum]:
    return StrEnum(name, {c.code: c.code for c in codes})


QAActivity = _enum("QAActivity", QA_ACTIVITIES)
ImpactEvidence = _enum("ImpactEvidence", IMPACT_EVIDENCE)

QA_BY_CODE: dict[str, Code] = {c.code: c for c in QA_ACTIVITIES}
IMPACT_BY_CODE: dict[str, Code] = {c.code: c for c in IMPACT_EVIDENCE}


def qa_label(code: str) -> str:
    return QA_BY_CODE[code].label


_ROLE_WORDS = {"iro": "IRO", "cp_chair": "CP chairs"}


def _example_lines(taxonomy: str, code: str, counts: bool) -> list[str]:
    return [
        f"  - {e.authority} ({_ROLE_WORDS[e.role]}): \u201c{e.quote}\u201d"
        for e in EXAMPLES
        if e.taxonomy == taxonomy and e.code == code and e.counts is counts
    ]


def codebook_markdown() -> str:
    """The codebook (``docs/coding.md`` up to its list of changes), written from the definitions above."""
    out = [
        "# Codebook: how returns are coded",
        "",
        "<!-- Written by models.taxonomy.codebook_markdown(); edit models/taxonomy.py, then run",
        '     python -c "from models.taxonomy import write_codebook; write_codebook()" -->',
        "",
        "## The rule",
        "",
        CODING_RULE,
        "",
        SHARED_SENTENCE_RULE,
        "",
        "Each code below has its definition, what counts and what does not, with real sentences from the "
        "sources, and the borderline calls made. `tests/test_coding.py` checks every example against the "
        "returns in `survey_data/`.",
    ]
    for taxonomy, title, codes in (
        ("qa", "QA activities (formal QA inputs)", QA_ACTIVITIES),
        ("impact", "How impact is evidenced", IMPACT_EVIDENCE),
    ):
        out += ["", f"## {title}"]
        for c in codes:
            out += ["", f"### {c.label} (`{c.code}`)", "", c.definition, ""]
            out.append(f"- **Counts:** {c.counts}")
            out += _example_lines(taxonomy, c.code, True)
            out.append(f"- **Does not count:** {c.does_not_count}")
            out += _example_lines(taxonomy, c.code, False)
            if c.borderline:
                out.append("- **Borderline calls:**")
                out += [f"  - {b}" for b in c.borderline]
    return "\n".join(out) + "\n"


#: The heading after which docs/coding.md is written by hand (the changes of each coding pass).
CHANGES_HEADING = "## Changes in the second pass"


def write_codebook(path: str = "docs/coding.md") -> None:
    """Rewrite the generated part of ``path``, keeping the hand-written list of changes after it."""
    from pathlib import Path

    target = Path(path)
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    tail = old[old.index(CHANGES_HEADING) :] if CHANGES_HEADING in old else CHANGES_HEADING + "\n"
    target.write_text(codebook_markdown() + "\n" + tail, encoding="utf-8")
