"""Which action of ``iro_service.core.policy`` each route takes: one line per route.

Every named URL pattern and API route needs an entry here; the access-matrix test
(tests/security/test_access_matrix.py) fails on a route without one. An entry says:

- the action (``policy.Action``): the policy table decides who may take it;
- for routes with ids in the URL, which record each id names (``"app_label.Model"``): the
  test fills it with a row of that model belonging to the child under test (or, for a
  record that is not a child's, the last row: the matrix world's own, made after any
  seeded rows); a value without a dot is put in the URL as it is (a year, a slug);
- ``method="post"`` (or ``"patch"``) for routes that do not answer GET: the test sends an
  empty body, inside a transaction it rolls back;
- ``validates_first=True`` for a POST route whose view reads the body before it asks the
  policy (the service refuses the action): with an empty body the matrix can then check
  visibility only (404 for a hidden child); the service's own tests check the rest;
- ``state="..."`` for a route that acts on a record in a state the matrix's records are not
  in (a completed review, a held conference): the matrix checks that a hidden child is a
  404 and that nobody denied is let in; the app's tests check the allowed path;
- ``query={"child": "children.Child"}`` for ids passed in the query string.

Adding a route: ``"audits:detail": child(Action.CHILD_VIEW, pk="audits.Audit"),``
"""

from dataclasses import dataclass, field

from iro_service.core.policy import Action


@dataclass(frozen=True)
class Route:
    action: Action | None
    records: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    child_records: bool = True
    validates_first: bool = False
    state: str = ""
    query: dict[str, str] = field(default_factory=dict)
    exempt: str = ""  # why the matrix does not request this route


def page(
    action: Action,
    *,
    method: str = "get",
    validates_first: bool = False,
    state: str = "",
    **records: str,
) -> Route:
    """A route about no particular child: the outcome depends on the role only. Ids in
    its URL name rows that are not a child's (a team, a non-working day)."""
    return Route(action, records, method, False, validates_first, state)


def child(
    action: Action,
    *,
    method: str = "get",
    validates_first: bool = False,
    state: str = "",
    query: dict[str, str] | None = None,
    **records: str,
) -> Route:
    """A route showing or changing a child's record (``pk="children.Child"`` by default)."""
    if not records and not query:
        records = {"pk": "children.Child"}
    return Route(action, records, method, True, validates_first, state, query or {})


def exempt(reason: str) -> Route:
    return Route(None, exempt=reason)


A = Action
REVIEW = "reviews.Review"
CONFERENCE = "conferences.Conference"
CHALLENGE = "challenges.Challenge"
CLINIC = "challenges.Clinic"
CONFLICT = "children.ConflictDeclaration"
CLOSED = "a closed challenge"
HELD = "a held conference"
AWAITING_APPROVAL = "a challenge awaiting approval"
AUDIT = "audits.Audit"
TEMPLATE = "audits.AuditTemplate"
# The matrix world starts a draft version of the last template; its questions are the last.
DRAFT_VERSION = "2"
QUESTION = "audits.AuditQuestion"

ROUTES: dict[str, Route] = {
    # Sign-in, session and the shell
    "home": page(A.SIGNED_IN),
    "login": page(A.SIGNED_IN),
    "logout": exempt("signing out ends the session the matrix signs in with"),
    "oidc-start": exempt("single sign-on, before signing in and off unless set up: test_oidc"),
    "passkeys": page(A.SIGNED_IN),
    "passkey-remove": page(A.SIGNED_IN, method="post", state="one's own passkey", pk="1"),
    "otp_webauthn:credential-registration-begin": page(A.SIGNED_IN, method="post"),
    "otp_webauthn:credential-registration-complete": page(
        A.SIGNED_IN, method="post", state="a registration the browser began"
    ),
    "otp_webauthn:credential-authentication-begin": page(A.SIGNED_IN, method="post"),
    "otp_webauthn:credential-authentication-complete": page(
        A.SIGNED_IN, method="post", state="an authentication the browser began"
    ),
    "otp_webauthn:js-i18n-catalog": page(A.SIGNED_IN),
    "oidc-callback": exempt("single sign-on, before signing in and off unless set up: test_oidc"),
    "mfa-verify": page(A.SIGNED_IN),
    "mfa-setup": page(A.SIGNED_IN),
    "session-status": page(A.SIGNED_IN),
    "session-keep-alive": page(A.SIGNED_IN, method="post"),
    "api-root": page(A.SIGNED_IN),
    "api-schema": exempt("one document for every signed-in user, 5 s to build: test_api_fuzz"),
    "api-docs": page(A.SIGNED_IN),
    # Children
    "children:list": page(A.SIGNED_IN),
    "children:detail": child(A.CHILD_VIEW),
    "children:access-log": child(A.ACCESS_LOG_READ),
    "children:health-assessment-add": child(A.CHILD_EDIT),
    "children:pep-add": child(A.CHILD_EDIT),
    "children:restriction": child(A.CHILD_RESTRICT),
    "children:birth": child(A.CHILD_EDIT),
    "children:conflict-declare": child(A.CONFLICT_DECLARE),
    "children:conflicts": page(A.CONFLICT_REVIEW),
    "children:conflict-review": page(
        A.CONFLICT_REVIEW, method="post", pk="children.ConflictDeclaration"
    ),
    "children:open": page(A.ACCESS_REASON_GIVE),
    "children:out-of-relationship": page(A.OUT_OF_RELATIONSHIP_REPORT),
    "child-list": page(A.SIGNED_IN),
    "child-detail": child(A.CHILD_VIEW),
    "child-deadlines": child(A.CHILD_VIEW),
    "child-birth": child(A.CHILD_EDIT, method="post", validates_first=True),
    "period-of-care-list": page(A.SIGNED_IN),
    "period-of-care-detail": child(A.CHILD_VIEW, pk="children.PeriodOfCare"),
    "episode-list": page(A.SIGNED_IN),
    "episode-detail": child(A.CHILD_VIEW, pk="children.Episode"),
    "s47-enquiry-list": page(A.SIGNED_IN),
    "s47-enquiry-detail": child(A.CHILD_VIEW, pk="children.S47Enquiry"),
    "cp-plan-list": page(A.SIGNED_IN),
    "cp-plan-detail": child(A.CHILD_VIEW, pk="children.ChildProtectionPlan"),
    "cp-plan-conferences": child(A.CHILD_VIEW, pk="children.ChildProtectionPlan"),
    "allocation-list": page(A.SIGNED_IN),
    "allocation-detail": child(A.CHILD_VIEW, pk="children.Allocation"),
    "visit-list": page(A.SIGNED_IN),
    "visit-detail": child(A.CHILD_VIEW, pk="children.Visit"),
    "health-assessment-list": page(A.SIGNED_IN),
    "health-assessment-detail": child(A.CHILD_VIEW, pk="children.HealthAssessment"),
    "pep-list": page(A.SIGNED_IN),
    "pep-detail": child(A.CHILD_VIEW, pk="children.PersonalEducationPlan"),
    # Reviews
    "reviews:mine": page(A.REVIEW_LISTS),
    "reviews:list": page(A.REVIEW_LISTS),
    "reviews:schedule_queue": page(A.REVIEW_LISTS),
    "reviews:decisions": page(A.REVIEW_LISTS),
    "reviews:detail": child(A.CHILD_VIEW, pk=REVIEW),
    "reviews:book": child(A.REVIEW_SCHEDULE, pk=REVIEW),
    "reviews:invitations": child(A.CHILD_VIEW, pk=REVIEW),
    "reviews:invitations_send": child(A.REVIEW_SCHEDULE, method="post", pk=REVIEW),
    "reviews:invitation_letter": child(
        A.REVIEW_SCHEDULE, pk=REVIEW, invitation_pk="reviews.Invitation"
    ),
    "reviews:decisions_pdf": child(A.REVIEW_SCHEDULE, state="a held review", pk=REVIEW),
    "reviews:record": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:amend": child(A.REVIEW_AMEND, state="a completed review", pk=REVIEW),
    "reviews:draft": child(A.REVIEW_CHAIR, method="post", pk=REVIEW),
    "reviews:decision_add": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:decision_update": child(A.REVIEW_CHAIR, pk=REVIEW, decision_pk="reviews.Decision"),
    "reviews:circulate": child(A.REVIEW_SCHEDULE, pk=REVIEW),
    "reviews:complete": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:adjourn": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:cancel": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:extra": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:preparation": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:contact_add": child(A.REVIEW_CHAIR, pk=REVIEW),
    "reviews:consultation_add": child(A.REVIEW_SCHEDULE, pk=REVIEW),
    "reviews:footprint_add": child(A.REVIEW_CHAIR, child_pk="children.Child"),
    "review-list": page(A.SIGNED_IN),
    "review-detail": child(A.CHILD_VIEW, pk=REVIEW),
    "review-adjourn": child(A.REVIEW_CHAIR, method="post", validates_first=True, pk=REVIEW),
    "review-cancel": child(A.REVIEW_CHAIR, method="post", validates_first=True, pk=REVIEW),
    "review-circulate": child(A.REVIEW_SCHEDULE, method="post", validates_first=True, pk=REVIEW),
    "review-complete": child(A.REVIEW_CHAIR, method="post", validates_first=True, pk=REVIEW),
    "review-decision": child(
        A.REVIEW_CHAIR,
        method="patch",
        validates_first=True,
        pk=REVIEW,
        decision_pk="reviews.Decision",
    ),
    "review-decisions": child(A.CHILD_VIEW, pk=REVIEW),
    "review-record": child(A.REVIEW_CHAIR, method="post", validates_first=True, pk=REVIEW),
    "review-schedule": child(A.REVIEW_SCHEDULE, method="post", validates_first=True, pk=REVIEW),
    # Conferences
    "conferences:home": page(A.SIGNED_IN),
    "conferences:queue": page(A.SIGNED_IN),
    "conferences:calendar": page(A.SIGNED_IN),
    "conferences:chasing": page(A.SIGNED_IN),
    "conferences:mine": page(A.SIGNED_IN),
    "conferences:unavailability": page(A.CHAIR_UNAVAILABILITY),
    "conferences:plans": page(A.SIGNED_IN),
    "conferences:timeliness": page(A.SIGNED_IN),
    "conferences:core_group_add": child(
        A.CORE_GROUP_RECORD,
        method="post",
        validates_first=True,
        plan_pk="children.ChildProtectionPlan",
    ),
    "conferences:request": child(A.CONFERENCE_REQUEST, child_pk="children.Child"),
    "conferences:detail": child(A.CHILD_VIEW, pk=CONFERENCE),
    "conferences:book": child(A.CONFERENCE_SCHEDULE, pk=CONFERENCE),
    "conferences:cancel": child(A.CONFERENCE_SCHEDULE, pk=CONFERENCE),
    "conferences:invitation_add": child(
        A.CONFERENCE_SCHEDULE, method="post", validates_first=True, pk=CONFERENCE
    ),
    "conferences:invitation_send": child(
        A.CONFERENCE_SCHEDULE, method="post", pk="conferences.Invitation"
    ),
    "conferences:report_add": child(
        A.CONFERENCE_SCHEDULE, method="post", validates_first=True, pk=CONFERENCE
    ),
    "conferences:report_received": child(
        A.CONFERENCE_SCHEDULE, method="post", validates_first=True, pk="conferences.AgencyReport"
    ),
    "conferences:record": child(A.CONFERENCE_CHAIR, pk=CONFERENCE),
    "conferences:record_draft": child(A.CONFERENCE_CHAIR, method="post", pk=CONFERENCE),
    "conferences:circulate": child(
        A.CONFERENCE_DOCUMENTS, method="post", validates_first=True, pk=CONFERENCE
    ),
    "conferences:outcome_pdf": child(A.CONFERENCE_DOCUMENTS, state=HELD, pk=CONFERENCE),
    "conferences:minutes_pdf": child(A.CONFERENCE_DOCUMENTS, state=HELD, pk=CONFERENCE),
    "conference-list": page(A.SIGNED_IN),
    "conference-request-conference": page(A.SIGNED_IN, method="post", validates_first=True),
    "conference-detail": child(A.CHILD_VIEW, pk=CONFERENCE),
    "conference-circulate": child(
        A.CONFERENCE_DOCUMENTS, method="post", validates_first=True, pk=CONFERENCE
    ),
    "conference-record-outcome": child(
        A.CONFERENCE_CHAIR, method="post", validates_first=True, pk=CONFERENCE
    ),
    "conference-schedule": child(
        A.CONFERENCE_SCHEDULE, method="post", validates_first=True, pk=CONFERENCE
    ),
    "core-group-list": page(A.SIGNED_IN),
    "core-group-detail": child(A.CHILD_VIEW, pk="conferences.CoreGroup"),
    # Challenges (the Issues Resolution Process)
    "challenges:mine": page(A.SIGNED_IN),
    "challenges:list": page(A.SIGNED_IN),
    "challenges:to_answer": page(A.SIGNED_IN),
    "challenges:approvals": page(A.CHALLENGE_DECIDE),
    "challenges:decide": child(A.CHALLENGE_DECIDE, pk="challenges.Approval"),
    "challenges:themes": page(A.CHALLENGE_THEMES),
    "challenges:raise": child(A.CHALLENGE_RAISE, query={"child": "children.Child"}),
    "challenges:detail": child(A.CHILD_VIEW, pk=CHALLENGE),
    "challenges:respond": child(A.CHALLENGE_RESPOND, pk=CHALLENGE),
    "challenges:escalate": child(A.CHALLENGE_IRO, pk=CHALLENGE),
    "challenges:accept": child(A.CHALLENGE_IRO, pk=CHALLENGE),
    "challenges:withdraw": child(A.CHALLENGE_IRO, pk=CHALLENGE),
    "challenges:refer": child(A.CHALLENGE_IRO, pk=CHALLENGE),
    "challenges:reassign": child(A.CHALLENGE_REASSIGN, pk=CHALLENGE),
    "challenges:amend": child(A.CHALLENGE_IRO, state=CLOSED, pk=CHALLENGE),
    "challenges:cafcass_response": child(A.CHALLENGE_IRO, pk="challenges.CafcassReferral"),
    "challenges:action_status": child(
        A.CHALLENGE_IRO, method="post", pk="challenges.RecoveryAction"
    ),
    "challenge-list": page(A.SIGNED_IN),
    "challenge-raise-": page(A.CHALLENGE_RAISE, method="post", validates_first=True),
    "challenge-detail": child(A.CHILD_VIEW, pk=CHALLENGE),
    "challenge-accept": child(A.CHALLENGE_IRO, method="post", validates_first=True, pk=CHALLENGE),
    "challenge-approve": child(
        A.CHALLENGE_DECIDE, method="post", state=AWAITING_APPROVAL, pk=CHALLENGE
    ),
    "challenge-decline": child(
        A.CHALLENGE_DECIDE, method="post", state=AWAITING_APPROVAL, pk=CHALLENGE
    ),
    "challenge-escalate": child(A.CHALLENGE_IRO, method="post", validates_first=True, pk=CHALLENGE),
    "challenge-refer-to-cafcass": child(
        A.CHALLENGE_IRO, method="post", validates_first=True, pk=CHALLENGE
    ),
    "challenge-request-approval": child(
        A.CHALLENGE_IRO, method="post", validates_first=True, pk=CHALLENGE
    ),
    "challenge-respond": child(
        A.CHALLENGE_RESPOND, method="post", validates_first=True, pk=CHALLENGE
    ),
    "challenge-withdraw": child(A.CHALLENGE_IRO, method="post", validates_first=True, pk=CHALLENGE),
    "challenges:raise_cohort": page(A.CHALLENGE_RAISE),
    # Challenge clinics: the IRO service manager runs them; the panel and invitees read them
    "challenges:clinics": page(A.SIGNED_IN),
    "challenges:clinic_schedule": page(A.CLINIC_RUN),
    "challenges:clinic": child(A.CLINIC_VIEW, pk=CLINIC),
    "challenges:clinic_invitees": child(A.CLINIC_RUN, pk=CLINIC),
    "challenges:clinic_send": child(A.CLINIC_RUN, method="post", pk=CLINIC),
    "challenges:clinic_record": child(A.CLINIC_RUN, pk=CLINIC),
    "challenges:clinic_cancel": child(A.CLINIC_RUN, pk=CLINIC),
    "challenges:clinic_invitee_remove": child(
        A.CLINIC_RUN, method="post", pk="challenges.ClinicInvitee"
    ),
    # The world's clinic actions are owned by no persona: only the manager may update them.
    "challenges:clinic_action_status": child(
        A.CLINIC_RUN, method="post", pk="challenges.ClinicAction"
    ),
    "challenge-clinic-list": page(A.SIGNED_IN),
    "challenge-clinic-detail": child(A.CLINIC_VIEW, pk=CLINIC),
    "conferences:amend": child(A.CONFERENCE_CHAIR, state=HELD, pk=CONFERENCE),
    "conferences:amend_draft": child(A.CONFERENCE_CHAIR, method="post", state=HELD, pk=CONFERENCE),
    "conference-amend": child(
        A.CONFERENCE_CHAIR, method="post", validates_first=True, state=HELD, pk=CONFERENCE
    ),
    # Audits
    "audits:due": page(A.AUDIT_LISTS),
    "audits:mine": page(A.SIGNED_IN),
    "audits:recommendations": page(A.SIGNED_IN),
    "audits:findings": page(A.AUDIT_THEMES),
    "audits:themes": page(A.AUDIT_THEMES),
    "audits:themes_csv": page(A.AUDIT_THEMES),
    "audits:templates": page(A.AUDIT_TEMPLATES),
    "audits:start_review": child(A.AUDIT_CARRY_OUT, method="post", review_pk=REVIEW),
    "audits:start_conference": child(A.AUDIT_CARRY_OUT, method="post", conference_pk=CONFERENCE),
    "audits:detail": child(A.CHILD_VIEW, pk=AUDIT),
    "audits:edit": child(A.AUDIT_OWN, pk=AUDIT),
    "audits:draft": child(A.AUDIT_OWN, method="post", pk=AUDIT),
    "audits:recommend": child(A.AUDIT_OWN, pk=AUDIT),
    "audits:recommendation_done": child(
        A.AUDIT_RECOMMENDATION_CLOSE, pk=AUDIT, recommendation_pk="audits.AuditRecommendation"
    ),
    "audits:template_detail": page(A.AUDIT_TEMPLATES, pk=TEMPLATE),
    "audits:template_settings": page(A.AUDIT_TEMPLATES, pk=TEMPLATE),
    "audits:version_new": page(A.AUDIT_TEMPLATES, method="post", pk=TEMPLATE),
    "audits:version_publish": page(A.AUDIT_TEMPLATES, pk=TEMPLATE, number=DRAFT_VERSION),
    "audits:question_add": page(A.AUDIT_TEMPLATES, pk=TEMPLATE, number=DRAFT_VERSION),
    "audits:question_edit": page(
        A.AUDIT_TEMPLATES, pk=TEMPLATE, number=DRAFT_VERSION, question_pk=QUESTION
    ),
    "audits:question_remove": page(
        A.AUDIT_TEMPLATES, method="post", pk=TEMPLATE, number=DRAFT_VERSION, question_pk=QUESTION
    ),
    "audit-list": page(A.SIGNED_IN),
    "audit-detail": child(A.CHILD_VIEW, pk=AUDIT),
    "audit-template-list": page(A.SIGNED_IN),
    "audit-template-detail": page(A.SIGNED_IN, pk=TEMPLATE),
    "audit-themes": page(A.AUDIT_THEMES, state="a period named in the query"),
    # Dashboards, the annual report, national returns
    "reporting:dashboard_iro": page(A.DASHBOARD_IRO),
    "reporting:dashboard_service": page(A.DASHBOARD_SERVICE),
    "reporting:dashboard_support": page(A.DASHBOARD_SUPPORT),
    "reporting:drill_audits": page(A.DASHBOARD_DRILL),
    "reporting:drill_caseload": page(A.DASHBOARD_DRILL),
    "reporting:drill_overdue_allocation": page(A.DASHBOARD_DRILL),
    "reporting:drill_overdue_conferences": page(A.DASHBOARD_DRILL),
    "reporting:drill_overdue_records": page(A.DASHBOARD_DRILL),
    "reporting:drill_overdue_reviews": page(A.DASHBOARD_DRILL),
    "reporting:drill_timeliness": page(A.DASHBOARD_DRILL, state="a measure named in the query"),
    "reporting:caseload_settings": page(A.CASELOAD_SETTINGS),
    "reporting:annual": page(A.ANNUAL_REPORT_READ),
    "reporting:annual-report": page(A.ANNUAL_REPORT_READ, year="2026"),
    "reporting:annual-report-pdf": page(A.ANNUAL_REPORT_READ, year="2026"),
    "reporting:annual-commentary": page(A.ANNUAL_REPORT_WRITE, year="2026", section="priorities"),
    "reporting:population": page(A.POPULATION_KEEP),
    "reports-annual": page(A.ANNUAL_REPORT_READ),
    "reporting:returns": page(A.RETURNS_PAGE),
    "reporting:export-download": page(A.RETURNS_EXPORT, method="post"),
    "reporting:imports": page(A.RETURNS_IMPORT),
    "reporting:import-run": page(A.RETURNS_IMPORT, pk="reporting.ImportRun"),
    # Timescales, reminders, staff
    "timescales:rules": page(A.TIMESCALES_READ),
    "timescales:local-value-add": page(A.TIMESCALES_KEEP, method="post"),
    "timescales:extra-day-add": page(A.TIMESCALES_KEEP, method="post"),
    "timescales:extra-day-remove": page(
        A.TIMESCALES_KEEP, method="post", pk="timescales.ExtraNonWorkingDay"
    ),
    "reminders:healthz": page(A.SIGNED_IN),
    "reminders:list": page(A.SIGNED_IN),
    "reminders:acknowledge": page(A.SIGNED_IN, method="post"),
    "reminders:settings": page(A.SIGNED_IN),
    "reminders:calendar": page(A.SIGNED_IN, method="post"),
    "reminders:health": page(A.SERVICE_HEALTH),
    "reminders:feed": exempt("reached by a secret token, not a session; tests/reminders"),
    # Records retention
    "retention:records": page(A.RETENTION_REPORT),
    "retention:records-csv": page(A.RETENTION_REPORT),
    "retention:rules": page(A.RETENTION_REPORT),
    "retention:rules-edit": page(A.RETENTION_RULES_KEEP),
    "retention:holds": page(A.LEGAL_HOLD_KEEP),
    "retention:hold-lift": page(A.LEGAL_HOLD_KEEP, pk="retention.LegalHold"),
    "retention:child": child(A.LEGAL_HOLD_KEEP),
    "retention:hold-place": child(A.LEGAL_HOLD_KEEP),
    "retention:destruction-request": child(A.DESTRUCTION_REQUEST),
    "retention:requests": page(A.DESTRUCTION_DECIDE),
    "retention:request": page(A.DESTRUCTION_DECIDE, pk="retention.DestructionRequest"),
    "retention:log": page(A.RETENTION_REPORT),
    "staff-list": page(A.SIGNED_IN),
    "staff-detail": page(A.SIGNED_IN, pk="people.User"),
    "team-list": page(A.SIGNED_IN),
    "team-detail": page(A.SIGNED_IN, pk="people.Team"),
}
