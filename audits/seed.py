"""The two seeded audit templates (DOMAIN.md section 8): the questions of the audit tool
the annual report describes, plus the extra questions section 8 found in other tools.

Plain data, so a data migration can seed every database (tests included) and
``seed_templates`` can run again without changing anything: it only creates a template
whose code is missing. Each question: (code, section, text, help, is_key, prefill, basis).
Answers map to RAG by the default (yes green, partly amber, no red); mapping and key
questions are changed in the template editor, which publishes a new version. Do not edit
the seeded questions here once released: databases already seeded would differ from new ones.
"""

from typing import Any

Question = tuple[str, str, str, str, bool, str, str]

CLA_QUESTIONS: list[Question] = [
    (
        "review_in_timescale",
        "The review",
        "Was the review held within timescale?",
        "Compare the date held with the due date set when the review fell due.",
        True,
        "review_in_timescale",
        "CLA-1..3",
    ),
    (
        "right_people_participating",
        "The review",
        "Were the right people invited and participating?",
        "Child, parents or those with parental responsibility, carer, school, health, IRO.",
        False,
        "",
        "CPPCR Part 6",
    ),
    (
        "health_assessment",
        "Before the review",
        "Was a health assessment undertaken and considered?",
        "The last initial or review health assessment and the health plan.",
        True,
        "health_assessment_in_date",
        "H-1, H-2; Schedule 7",
    ),
    (
        "agencies_sharing_reports",
        "Before the review",
        "Did agencies share reports before the review?",
        "The social worker's report and other agencies' reports, received before the review.",
        False,
        "review_reports",
        "Local",
    ),
    (
        "pep_available",
        "Before the review",
        "Was a personal education plan (PEP) available?",
        "A PEP dated on or before the review and in the current term.",
        True,
        "pep_in_date",
        "E-1; Schedule 7",
    ),
    (
        "child_prepared",
        "The child",
        "Was the child prepared for the review by the social worker?",
        "A consultation booklet or a visit about the review before it.",
        False,
        "child_prepared",
        "IRO Handbook",
    ),
    (
        "child_views_presented",
        "The child",
        "Were the child's views clearly presented?",
        "Participation code PN1 to PN6, and the child's wishes and feelings written down.",
        True,
        "child_views",
        "CLA-9",
    ),
    (
        "consultation_returned",
        "The child",
        "Were consultation documents sent and returned?",
        "Consultation papers for the child, parents and carers.",
        False,
        "consultation",
        "Local",
    ),
    (
        "child_details_accurate",
        "Records",
        "Are the child's details accurate?",
        "Unique pupil number, ethnicity, legal status and placement recorded.",
        False,
        "child_details",
        "903 / CIN validation",
    ),
    (
        "child_visited",
        "Records",
        "Has the child been visited often enough?",
        "Social worker visits against the visiting rule for the placement.",
        True,
        "cla_visits",
        "V-1..V-7; CPPCR reg 28",
    ),
    (
        "advocate_offered",
        "The child",
        "Has the child been offered an advocate?",
        "The IRO tells the child about advocacy and how to complain.",
        False,
        "",
        "IRO Handbook",
    ),
    (
        "independent_visitor",
        "The child",
        "Has an independent visitor been offered or allocated?",
        "",
        False,
        "",
        "CPPCR Part 8",
    ),
    (
        "permanence_plan",
        "Planning",
        "Is there a permanence plan by the decision-making review?",
        "A plan for permanence recorded by the second review.",
        False,
        "permanence_plan",
        "CPPCR reg 5(a)",
    ),
    (
        "placement_assessed",
        "Planning",
        "Has the placement been assessed as the regulations require?",
        "Approval type and nominated officer approval.",
        False,
        "",
        "CPPCR Part 4",
    ),
    (
        "care_plan_up_to_date",
        "Planning",
        "Are the care plan and placement plan up to date and signed?",
        "",
        False,
        "",
        "Section 8 extra",
    ),
    (
        "previous_decisions_implemented",
        "Planning",
        "Were the previous review's decisions implemented?",
        "",
        False,
        "",
        "Schedule 7",
    ),
    (
        "management_oversight",
        "Records",
        "Is management oversight recorded?",
        "Supervision and team manager oversight on file.",
        False,
        "",
        "Section 8 extra",
    ),
    (
        "identity_needs",
        "The child",
        "Are identity and cultural needs and life-story work addressed?",
        "",
        False,
        "",
        "Section 8 extra",
    ),
]

CP_QUESTIONS: list[Question] = [
    (
        "conference_in_timescale",
        "The conference",
        "Was the conference held within timescale?",
        "Compare the date held with the due date set when the conference was requested.",
        True,
        "conference_in_timescale",
        "CP-1, CP-6, CP-7",
    ),
    (
        "child_seen_often",
        "The child",
        "Has the child been seen by the social worker often enough?",
        "Child protection visits against the visiting rule.",
        True,
        "cp_visits",
        "CP-11",
    ),
    (
        "child_seen_alone",
        "The child",
        "Has the child been seen alone?",
        "The latest visits record whether the child was seen alone.",
        False,
        "cp_seen_alone",
        "CP-11",
    ),
    (
        "bedroom_seen",
        "The child",
        "Has the child's bedroom been seen?",
        "",
        False,
        "cp_bedroom_seen",
        "Section 8 extra",
    ),
    (
        "information_accurate",
        "Records",
        "Is information accurately recorded?",
        "Minutes and plan distributed; categories valid.",
        False,
        "",
        "CIN rules",
    ),
    (
        "relevant_people_invited",
        "The conference",
        "Were all relevant people invited?",
        "Invitations by agency.",
        False,
        "",
        "Working Together",
    ),
    (
        "reports_on_time",
        "Before the conference",
        "Were reports sent on time?",
        "Agency reports received by their due date before the conference.",
        False,
        "conference_reports",
        "CP-10",
    ),
    (
        "voice_of_child",
        "The child",
        "Is the voice of the child evident?",
        "The child's views recorded and how they took part.",
        True,
        "",
        "Working Together",
    ),
    (
        "multi_agency_effective",
        "Planning",
        "Is multi-agency working effective?",
        "Core group attendance by agency.",
        False,
        "",
        "Qualitative",
    ),
    (
        "core_groups_in_timescale",
        "Planning",
        "Are core groups reviewing the plan in timescale?",
        "Core group dates against their due dates.",
        True,
        "core_groups",
        "CP-4, CP-5",
    ),
    (
        "management_oversight",
        "Records",
        "Is management oversight recorded?",
        "Team manager review of the case at least every two months.",
        False,
        "",
        "Section 8 extra",
    ),
    (
        "chronology_genogram",
        "Records",
        "Are a chronology and genogram present?",
        "",
        False,
        "",
        "Section 8 extra",
    ),
    (
        "assessment_up_to_date",
        "Records",
        "Is the assessment up to date?",
        "Child and family assessment within 45 working days.",
        False,
        "",
        "Section 8 extra",
    ),
]

TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "cla_review",
        "name": "Children in care review audit",
        "kind": "cla",
        "description": "Completed by the IRO before every children in care review.",
        "questions": CLA_QUESTIONS,
    },
    {
        "code": "cp_conference",
        "name": "Child protection conference audit",
        "kind": "cp",
        "description": "Completed by the chair before every child protection conference.",
        "questions": CP_QUESTIONS,
    },
]


def seed_templates(template_model: Any, version_model: Any, question_model: Any) -> int:
    """Create each missing template with a published version 1; returns how many were made.
    Takes the model classes so a migration can pass its historical models."""
    from django.utils import timezone

    made = 0
    for spec in TEMPLATES:
        if template_model.objects.filter(code=spec["code"]).exists():
            continue
        template = template_model.objects.create(
            code=spec["code"],
            name=spec["name"],
            kind=spec["kind"],
            description=spec["description"],
        )
        version = version_model.objects.create(
            template=template, number=1, published_at=timezone.now(), notes="Seeded."
        )
        question_model.objects.bulk_create(
            question_model(
                version=version,
                code=code,
                section=section,
                text=text,
                help=help_text,
                is_key=is_key,
                prefill=prefill,
                basis=basis,
                ordering=(i + 1) * 10,
            )
            for i, (code, section, text, help_text, is_key, prefill, basis) in enumerate(
                spec["questions"]
            )
        )
        made += 1
    return made
