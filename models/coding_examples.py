"""The coding examples: real sentences from the sources, counted or not counted for one code of one taxonomy.

A counted example is among that role's supporting sentences for the code; a not-counted one is in that
role's answers but is not. ``tests/test_coding.py`` checks each against the returns and the sources, and
``models.taxonomy.codebook_markdown`` prints them in ``docs/coding.md``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """A real sentence from a source, counted or not counted for one code of one taxonomy."""

    authority: str
    role: str  # "iro" or "cp_chair"
    taxonomy: str  # "qa" or "impact"
    code: str
    counts: bool
    quote: str


#: Real sentences from the sources, counted or not counted for a code. A counted
#: example is among that role's supporting sentences for the code; a not-counted
#: one is in that role's answers but is not.
EXAMPLES: tuple[Example, ...] = (
    Example(
        "Kent",
        "iro",
        "qa",
        "midway_review",
        True,
        "IROs monitor and review the progress of the LA’s Care Plan including undertaking Midway Reviews with the social worker where necessary to review progress.",
    ),
    Example(
        "Brighton and Hove",
        "iro",
        "qa",
        "midway_review",
        True,
        "Progress chasing, guidance and consultation between reviews – typically on a targeted basis eg children with child protection plans coming up to or over 18mths plus",
    ),
    Example(
        "West Sussex",
        "cp_chair",
        "qa",
        "midway_review",
        True,
        "The CPA’s review a child’s file in partnership with the relevant sw team 4 weeks prior to 3rd review and all reviews thereafter to ensure clarity and progression of planning and recommendation.",
    ),
    Example(
        "Southampton",
        "iro",
        "qa",
        "midway_review",
        False,
        "Any areas of poor practice are identified through audits, IRO Case Discussions (IRO case monitoring) and reviews.",
    ),
    Example(
        "Kent",
        "cp_chair",
        "qa",
        "post_meeting_qa_form",
        True,
        "CP Chairs complete a Quality Assurance form after each CP Conference to review safeguarding practice and to offer support and guidance as to how such practice can be improved.",
    ),
    Example("Windsor and Maidenhead", "iro", "qa", "post_meeting_qa_form", False, "QA draft CiC plan"),
    Example(
        "Surrey",
        "iro",
        "qa",
        "case_file_audit",
        True,
        "The Independent Reviewing Officers are fully embedded in a children’s monthly audit programme and Service Coordinators and Service Manager contribute to a re-audit programme that looks at the practice improvement towards reaching good outcomes for children and makes recommendations to further improve.",
    ),
    Example("Brighton and Hove", "iro", "qa", "case_file_audit", True, "Audits"),
    Example(
        "West Sussex",
        "iro",
        "qa",
        "case_file_audit",
        False,
        "The IRO’s and CP chairs do not currently undertake auditing routinely but do attend the collaborative audit discussions led by group managers and any reflective discussions where a child’s file is found to be inadequate.",
    ),
    Example(
        "West Berkshire", "iro", "qa", "thematic_audit", True, "Complete themed audit activity when required."
    ),
    Example(
        "Hampshire",
        "iro",
        "qa",
        "thematic_audit",
        False,
        "Complete audit work annually, care plan audit, Participation audits",
    ),
    Example(
        "Stockport",
        "iro",
        "qa",
        "dip_sampling",
        True,
        "In order to ensure that there is a consistent high quality of advice being given, the service leader, safeguarding, will undertake a monthly dip sample which will consider the timeliness and quality of advice and the timeliness and outcome of the resulting TAC meeting if advice has been not to go to ICPC.",
    ),
    Example(
        "Southampton",
        "cp_chair",
        "qa",
        "dip_sampling",
        False,
        "There are bi-monthly senior management audits of plans and child protection planning is also a factor in the service audit schedule.",
    ),
    Example(
        "Medway",
        "iro",
        "qa",
        "dispute_resolution",
        True,
        "The independent chairs will raise a dispute resolution in line with the Dispute Resolution Notice (DRN) Policy, if actions for the child have not been completed in a timely fashion or there are wider practice issues leading to drift and delay for the child.",
    ),
    Example(
        "Walsall",
        "iro",
        "qa",
        "dispute_resolution",
        False,
        "The Independent Reviewing Officer has a responsibility to challenge those involved in the plan if there is any delay or gaps in services provided or the plan lacks aspiration for their future.",
    ),
    Example(
        "West Berkshire",
        "iro",
        "qa",
        "consultation",
        True,
        "Meet with SWs before every ICPC for consultation.",
    ),
    Example(
        "Hampshire",
        "iro",
        "qa",
        "consultation",
        False,
        "Act as link professional for operational teams to ensure practice issues are raised and standards of practice maintained.",
    ),
    Example(
        "Southampton",
        "cp_chair",
        "qa",
        "readiness_check",
        True,
        "Family coming to conference is case tracked 2 days prior to conference to ensure it is “conference ready” this means that the Single Assessment for ICPC or RCPC report have been completed, authorised and shared with families in their own language.",
    ),
    Example(
        "Brighton and Hove",
        "iro",
        "qa",
        "readiness_check",
        False,
        "IRO preparation for review discussion with the social worker",
    ),
    Example(
        "Hampshire", "cp_chair", "qa", "training_delivery", True, "Training delivery for WDT as cp chair."
    ),
    Example(
        "Kent",
        "iro",
        "qa",
        "training_delivery",
        True,
        "IRO’s contribute to wider service/CYPE training; practice developments and procedures.",
    ),
    Example(
        "Hampshire",
        "iro",
        "qa",
        "training_delivery",
        False,
        "Participating in training and staff development programmes, as appropriate.",
    ),
    Example(
        "Kent", "iro", "qa", "learning_reviews", True, "IRO’s have also undertaken Learning Reviews and IMRs."
    ),
    Example(
        "Hampshire",
        "cp_chair",
        "qa",
        "learning_reviews",
        False,
        "Give repeat plan analysis to identify and unmet needs or practice gaps to inform practice.",
    ),
    Example(
        "Southampton",
        "iro",
        "qa",
        "panels",
        True,
        "Through Care Plan Reviews, IRO Case Discussions (IRO case monitoring), contribution to LA Panels such as Permanence Panel, the IRO service offers an independent oversight of care planning and decision making as well as a safeguard to prevent any drift and delay.",
    ),
    Example(
        "Kent",
        "iro",
        "qa",
        "panels",
        False,
        "IRO’s may also attend Permanency Planning Meetings; Strategy Discussions; Adolescent Risk Management Meetings.",
    ),
    Example(
        "Dudley",
        "iro",
        "qa",
        "practice_observation",
        True,
        "Each IRO will have their practice chairing a meeting observed by their line manager once in a 24 month period.",
    ),
    Example(
        "Dudley",
        "iro",
        "qa",
        "practice_observation",
        False,
        "Jelcic et al (2014) recommends quality assurance activity includes case file audits, observations of practice, and obtaining feedback from children and their families.",
    ),
    Example(
        "Dudley",
        "iro",
        "qa",
        "service_user_feedback",
        True,
        "Children, families and multi-agency professionals who attend Conferences and Reviews are invited to comment on the service they have received.",
    ),
    Example(
        "West Berkshire",
        "iro",
        "qa",
        "service_user_feedback",
        False,
        "Feedback from Designated Safeguarding Leads Training they deliver and multi-agency training events they deliver.",
    ),
    Example(
        "Surrey",
        "iro",
        "qa",
        "performance_reporting",
        True,
        "These reports are shared with the Leadership Team.",
    ),
    Example(
        "Surrey",
        "iro",
        "qa",
        "performance_reporting",
        False,
        "The consolidation o the Independent Chairs QA reporting is built into a performance dashboard that is accessible to all social work Managers across the County.",
    ),
    Example(
        "Unnamed authority (Briefing 6)",
        "iro",
        "qa",
        "good_practice_recognition",
        True,
        "In order to ensure good practice is fed back to practitioners, a formal Practice Recognition tool is in place for IROs.",
    ),
    Example(
        "Unnamed authority (Briefing 6)",
        "cp_chair",
        "qa",
        "good_practice_recognition",
        False,
        "In addition to the conference itself, the CPRO has a role in promoting good practice and ensuring child protection plans are implemented before and following conferences.",
    ),
    Example(
        "Southampton",
        "cp_chair",
        "impact",
        "service_user_feedback",
        True,
        "In recent years we have undertaken 2x parental surveys as part of a wider study of practice undertaken by Plymouth University.",
    ),
    Example(
        "Southampton",
        "iro",
        "impact",
        "service_user_feedback",
        False,
        "Plans are child-centred and reflects the child’s wishes and views",
    ),
    Example(
        "Medway",
        "iro",
        "impact",
        "audit_findings",
        True,
        "All feedback is additionally used within the quarterly QA and audit report that is scrutinised at the Quality Assurance Performance and Intelligence Board.",
    ),
    Example(
        "Surrey",
        "iro",
        "impact",
        "audit_findings",
        False,
        "Case Reviews are undertaken regularly and where there is learning for the service this is shared in learning discussions with operational teams and the wider Partnership.",
    ),
    Example(
        "Surrey",
        "iro",
        "impact",
        "performance_data",
        True,
        "The number of children remaining on CP plans for over 12 months has reduced and the reason for children remaining on a CP plans for over 12 month are better understood and there is increased oversight to reduce drift or delay and ensure that actions are implemented in a timely way to avoid children remaining on long plans due to drift or delay.",
    ),
    Example(
        "West Sussex",
        "cp_chair",
        "impact",
        "performance_data",
        False,
        "In the longer term, I would expect to see fewer children coming to CP conferences where there has been no previous CIN intervention, a reduction in the length of children’s plans and an overall reduction of children on child protection plans.",
    ),
    Example(
        "Southampton",
        "iro",
        "impact",
        "escalation_data",
        True,
        "Analysis of the use and outcomes of the dispute resolution process",
    ),
    Example(
        "Kent",
        "iro",
        "impact",
        "escalation_data",
        True,
        "IRO’s raise Practice Escalations which informs service delivery and positive outcomes for children.",
    ),
    Example(
        "Surrey",
        "iro",
        "impact",
        "escalation_data",
        False,
        "This challenge function is monitored and reported on to corporate parenting board is shared within the monthly reporting to Practice Challenge Meetings.",
    ),
    Example(
        "Surrey",
        "iro",
        "impact",
        "participation_rates",
        True,
        "Approximately 95% of Looked After children are participation in their looked after reviews",
    ),
    Example(
        "Kent",
        "iro",
        "impact",
        "participation_rates",
        False,
        "IRO’s ensure that the child’s voice is heard by meeting with them prior to their review meeting.",
    ),
    Example(
        "Kent",
        "cp_chair",
        "impact",
        "manager_oversight",
        True,
        "Two Quality Assurance Managers oversee the work of the CP Chairs.",
    ),
    Example(
        "Southampton",
        "cp_chair",
        "impact",
        "manager_oversight",
        False,
        "The Child Protection Team Manager is responsible for the team plan, which is reviewed to show impact.",
    ),
    Example(
        "Kent",
        "iro",
        "impact",
        "case_record_footprint",
        True,
        "IRO’s write their review minutes to the child to support their understanding of their Care Plan.",
    ),
    Example(
        "Hampshire",
        "iro",
        "impact",
        "case_record_footprint",
        False,
        "Ensuring the accurate and prompt recording and dissemination of decisions made, using ICS and other recording processes.",
    ),
    Example(
        "Medway",
        "iro",
        "impact",
        "annual_report",
        True,
        "All this work is pulled together in an annual report that focuses on the impact of the CP Chairs work.",
    ),
    Example(
        "Dudley", "iro", "impact", "annual_report", False, "Annual report identifies system-wide learning."
    ),
    Example(
        "West Sussex",
        "cp_chair",
        "impact",
        "not_yet_evidenced",
        True,
        "The broader role held by the CP chairs is in its infancy and we are unable to evidence impact at this juncture.",
    ),
    Example(
        "West Sussex",
        "iro",
        "impact",
        "not_yet_evidenced",
        False,
        "The impact of the IRO role in WS remains limited at this time.",
    ),
)
