"""The two taxonomies used to code every return, defined once.

Each code is a short descriptive snake_case word with a label (what users read)
and a one-line definition (what counts). Codes are stable: data files, the
database and exported workbooks store the code, so a code is never renamed; a
new idea gets a new code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    definition: str


QA_ACTIVITIES: tuple[Code, ...] = (
    Code(
        "midway_review",
        "Midway or progress reviews",
        "The officer checks progress of the plan between meetings (midway review, "
        "progress review, mid-way tracking, progress update).",
    ),
    Code(
        "post_meeting_qa_form",
        "QA form after each meeting",
        "The chair completes a quality assurance, monitoring or audit form after each meeting they chair.",
    ),
    Code(
        "case_file_audit",
        "Case-file audits",
        "The officers take part in a routine programme of case-file audits.",
    ),
    Code(
        "thematic_audit",
        "Thematic audits",
        "The officers complete themed or bespoke audits when asked.",
    ),
    Code(
        "dip_sampling",
        "Dip sampling by managers",
        "Managers dip-sample the officers' own work or advice to check its quality.",
    ),
    Code(
        "dispute_resolution",
        "Dispute resolution or escalation",
        "The officers raise challenge through a formal dispute resolution, alert or escalation process.",
    ),
    Code(
        "consultation",
        "Consultation to social work teams",
        "The officers give advice and consultation to social work teams, including "
        "before an initial child protection conference.",
    ),
    Code(
        "readiness_check",
        "Pre-meeting readiness checks",
        "Before a meeting the officer checks the case is ready (reports done and "
        "shared, checklist completed).",
    ),
    Code(
        "training_delivery",
        "Training delivery",
        "The officers deliver training to social work staff or partner agencies.",
    ),
    Code(
        "learning_reviews",
        "Learning reviews, IMRs and case reviews",
        "The officers write or contribute to learning reviews, individual management "
        "reviews or serious case reviews.",
    ),
    Code(
        "panels",
        "Panels",
        "The officers sit on or contribute to panels, such as permanence panels or "
        "panels for long or repeat child protection plans.",
    ),
    Code(
        "practice_observation",
        "Observation of chairing practice",
        "A manager observes the officer chairing a meeting.",
    ),
    Code(
        "service_user_feedback",
        "Service-user feedback",
        "Children, families or professionals are asked for feedback on the meetings the officers chair.",
    ),
    Code(
        "performance_reporting",
        "Performance reporting to boards",
        "The service's QA findings or performance are reported to a board, panel or leadership meeting.",
    ),
    Code(
        "good_practice_recognition",
        "Recognising good practice",
        "The officers formally identify and feed back good practice, not only shortfalls.",
    ),
)

IMPACT_EVIDENCE: tuple[Code, ...] = (
    Code(
        "service_user_feedback",
        "Service-user feedback",
        "Feedback or surveys from children, families, carers or professionals.",
    ),
    Code(
        "audit_findings",
        "Audit findings",
        "Findings of case-file, thematic or management audits.",
    ),
    Code(
        "performance_data",
        "Performance data",
        "Figures such as timeliness, length of plans, repeat plans, permanence or placement stability.",
    ),
    Code(
        "escalation_data",
        "Escalation data",
        "Records or analysis of disputes, alerts and escalations and their outcomes.",
    ),
    Code(
        "participation_rates",
        "Participation rates",
        "How far children and families take part in their meetings and plans.",
    ),
    Code(
        "manager_oversight",
        "Manager oversight",
        "Managers review, dip-sample or supervise the officers' work to judge its impact.",
    ),
    Code(
        "case_record_footprint",
        "Footprint on case records",
        "The officers' involvement is visible on children's case records (case "
        "notes, review records, letters to the child).",
    ),
    Code(
        "annual_report",
        "Annual report",
        "An annual report on the service's work and impact.",
    ),
    Code(
        "not_yet_evidenced",
        "Not yet able to evidence",
        "The authority says it cannot yet evidence the impact of the role.",
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


def impact_label(code: str) -> str:
    return IMPACT_BY_CODE[code].label


#: How every return is coded, in one place: the form's help, the QA page and the workbook say this.
CODING_RULE = (
    "An authority's activities are coded from everything it wrote for that role (expectations, input into "
    "quality and impact). Impact evidence is coded from the impact answer, and from other answers only where "
    "they say how impact is shown."
)
