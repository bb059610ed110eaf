"""The access policy of SECURITY.md in one place: role x relationship x action.

Three tables, read together by ``decide``:

- ``SCOPE``: which children each role reaches at all (SECURITY.md "Defaults"). A child
  outside it is invisible: a 404, absent from every list, count, export and email.
- ``ACTIONS``: for each action, the roles that may take it and the relationships to the
  child under which they may. An action a role may not take on a child it can see is a 403.
- ``RELATIONSHIP_FREE``: actions that do not read case content, so they do not depend on
  seeing the child (the information governance officer reads a child's access log by ID).

``children_visible_to`` and the domain policies read these tables; the access-matrix test
(tests/security/test_access_matrix.py) requests every route as every role in every
relationship and compares the status with ``decide``. Which route takes which action is in
``iro_service.core.route_policy``.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum

from people.roles import Role


class Relationship(StrEnum):
    """How a member of staff stands to one child (SECURITY.md "Relationship to a child")."""

    ALLOCATED = "allocated"  # the child's IRO, or their social worker
    SAME_TEAM = "same team"  # the child's team, or a team below one they manage
    OTHER_TEAM = "other team"  # none of the above
    ALLOW_LISTED = "allow-listed"  # a restricted child, and they are on its allow-list
    RESTRICTED = "restricted"  # a restricted child, and they are not on its allow-list
    CONFLICT = "conflict"  # they declared a connection to the child or the family


class Scope(StrEnum):
    AUTHORITY = "every non-restricted child"
    TEAM = "their team's children"
    TREE = "the children of the teams they manage"
    NONE = "no child"


class Outcome(StrEnum):
    ALLOW = "allow"
    FORBID = "forbid"  # 403: they can see the child but may not do this
    HIDE = "hide"  # 404: they cannot see the child at all
    DENY = "deny"  # 403 or 404: the role may not take this action on any child


class Action(StrEnum):
    """What a route does. Routes name one (``route_policy.ROUTES``)."""

    SIGNED_IN = "any signed-in user"  # their own pages; lists scoped by children_visible_to
    CHILD_CREATE = "add a child"
    CHILD_VIEW = "read a child's record and its meetings"
    CHILD_EDIT = "change a child's record"
    CHILD_ALLOCATE = "allocate a child's IRO"
    CHILD_RESTRICT = "restrict a child to named people"
    CONFLICT_DECLARE = "declare a connection to a child"
    CONFLICT_REVIEW = "list and review conflict declarations"
    ACCESS_LOG_READ = "read who viewed a child"
    ACCESS_REASON_GIVE = "open a child outside one's teams, giving a reason"
    OUT_OF_RELATIONSHIP_REPORT = "read the report of out-of-relationship access"
    PLACEMENT_ADDRESS_READ = "read placement and carer addresses"
    REVIEW_SCHEDULE = "book, invite and circulate a review"
    REVIEW_CHAIR = "record, adjourn, cancel and complete a review"
    REVIEW_AMEND = "amend a completed review"
    REVIEW_LISTS = "read review scheduling queues"
    CONFERENCE_REQUEST = "request a child protection conference"
    CONFERENCE_SCHEDULE = "book, invite and chase conferences"
    CONFERENCE_CHAIR = "record the conferences one chairs"
    CONFERENCE_DOCUMENTS = "produce conference documents"
    CORE_GROUP_RECORD = "record a core group"
    CHAIR_UNAVAILABILITY = "enter chair unavailability"
    CHALLENGE_RAISE = "raise a challenge"
    CHALLENGE_IRO = "act on a challenge as the IRO who raised it"
    CHALLENGE_RESPOND = "answer a challenge"
    CHALLENGE_REASSIGN = "hand a challenge to someone else"
    CHALLENGE_DECIDE = "approve or decline an escalation"
    CHALLENGE_THEMES = "read challenge themes"
    CLINIC_VIEW = "read a challenge clinic one is involved in"
    CLINIC_RUN = "schedule, invite to, record and cancel challenge clinics"
    AUDIT_CARRY_OUT = "carry out audits of reviews and conferences"
    AUDIT_LISTS = "open the audits pages"
    AUDIT_THEMES = "read audit findings and themes"
    AUDIT_TEMPLATES = "change audit templates"
    DASHBOARD_IRO = "read the IRO dashboard"
    DASHBOARD_SERVICE = "read the service dashboard"
    DASHBOARD_SUPPORT = "read the scheduling dashboard"
    DASHBOARD_DRILL = "read the figures behind a dashboard"
    CASELOAD_SETTINGS = "change the caseload target"
    ANNUAL_REPORT_READ = "read the annual report"
    ANNUAL_REPORT_WRITE = "write the annual report's commentary"
    POPULATION_KEEP = "record the child population"
    RETURNS_EXPORT = "export national returns"
    RETURNS_IMPORT = "import national returns"
    RETURNS_PAGE = "open the returns page"
    TIMESCALES_READ = "read the timescale rules"
    TIMESCALES_KEEP = "change local timescale values and non-working days"
    SERVICE_HEALTH = "read service health"


ALL = frozenset(Relationship)
VISIBLE_RELATIONSHIPS = {
    Scope.AUTHORITY: frozenset(
        {
            Relationship.ALLOCATED,
            Relationship.SAME_TEAM,
            Relationship.OTHER_TEAM,
            Relationship.ALLOW_LISTED,
        }
    ),
    Scope.TEAM: frozenset(
        {Relationship.ALLOCATED, Relationship.SAME_TEAM, Relationship.ALLOW_LISTED}
    ),
    Scope.TREE: frozenset(
        {Relationship.ALLOCATED, Relationship.SAME_TEAM, Relationship.ALLOW_LISTED}
    ),
    # A restricted child is seen by its allow-list "whatever the role" (SECURITY.md).
    Scope.NONE: frozenset({Relationship.ALLOW_LISTED}),
}

SCOPE: Mapping[Role, Scope] = {
    Role.IRO: Scope.AUTHORITY,
    Role.SENIOR_IRO: Scope.AUTHORITY,
    Role.IRO_MANAGER: Scope.AUTHORITY,
    Role.BUSINESS_SUPPORT: Scope.AUTHORITY,
    Role.SOCIAL_WORKER: Scope.TEAM,
    Role.TEAM_MANAGER: Scope.TEAM,
    Role.HEAD_OF_SERVICE: Scope.TREE,
    Role.DIRECTOR: Scope.TREE,
    Role.PERFORMANCE: Scope.NONE,
    Role.IG_OFFICER: Scope.NONE,
    Role.SYSTEM_ADMIN: Scope.NONE,
}

# Managers who may open a child outside their teams, after giving a reason that is logged
# and sent to the information governance officer (SECURITY.md, the NHS SCR model).
REASON_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})

SEEN = ALL - {Relationship.RESTRICTED, Relationship.CONFLICT}
OWN = frozenset({Relationship.ALLOCATED})
TEAM = frozenset({Relationship.ALLOCATED, Relationship.SAME_TEAM})
CHAIRS = (Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER)
CASE = tuple(role for role, scope in SCOPE.items() if scope is not Scope.NONE)
# The service dashboards drill down to children: not for the performance role, which
# has the annual report instead (reporting.views.dashboards).
SERVICE_FIGURES = (Role.IRO_MANAGER, Role.SENIOR_IRO, Role.HEAD_OF_SERVICE, Role.DIRECTOR)


def _each(roles: Iterable[Role], relationships: frozenset[Relationship]) -> dict[Role, frozenset]:
    return dict.fromkeys(roles, relationships)


ACTIONS: Mapping[Action, Mapping[Role, frozenset[Relationship]]] = {
    Action.SIGNED_IN: _each(Role, ALL),
    Action.CHILD_CREATE: _each(
        (Role.BUSINESS_SUPPORT, Role.IRO_MANAGER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER), ALL
    ),
    Action.CHILD_VIEW: _each(Role, SEEN),
    Action.CHILD_EDIT: {
        **_each((Role.BUSINESS_SUPPORT, Role.IRO_MANAGER), SEEN),
        **_each((Role.SOCIAL_WORKER, Role.TEAM_MANAGER), TEAM),
    },
    Action.CHILD_ALLOCATE: _each((Role.BUSINESS_SUPPORT, Role.IRO_MANAGER), SEEN),
    Action.CHILD_RESTRICT: _each((Role.IRO_MANAGER,), SEEN),
    Action.CONFLICT_DECLARE: _each(CASE, SEEN),
    Action.CONFLICT_REVIEW: _each((Role.IRO_MANAGER,), ALL),
    Action.ACCESS_LOG_READ: {**_each((Role.IRO_MANAGER,), SEEN), Role.IG_OFFICER: ALL},
    Action.ACCESS_REASON_GIVE: _each(REASON_ROLES, ALL),
    Action.OUT_OF_RELATIONSHIP_REPORT: _each((Role.IG_OFFICER,), ALL),
    # Field-level rule (SECURITY.md T4): who needs placement postcodes and the provider.
    Action.PLACEMENT_ADDRESS_READ: {
        **_each((Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER), SEEN),
        **_each((Role.SOCIAL_WORKER, Role.TEAM_MANAGER), TEAM),
    },
    Action.REVIEW_SCHEDULE: {Role.BUSINESS_SUPPORT: SEEN, **_each(CHAIRS, OWN)},
    Action.REVIEW_CHAIR: _each(CHAIRS, OWN),
    Action.REVIEW_AMEND: _each(CHAIRS, OWN),
    Action.REVIEW_LISTS: _each(Role, ALL),
    Action.CONFERENCE_REQUEST: {
        **_each((Role.BUSINESS_SUPPORT, Role.IRO_MANAGER), SEEN),
        **_each((Role.SOCIAL_WORKER, Role.TEAM_MANAGER), TEAM),
    },
    Action.CONFERENCE_SCHEDULE: _each((Role.BUSINESS_SUPPORT, Role.IRO_MANAGER), SEEN),
    # The conference's chair; in the matrix the chair is the child's allocated IRO.
    Action.CONFERENCE_CHAIR: _each(CHAIRS, OWN),
    Action.CONFERENCE_DOCUMENTS: {
        **_each(CHAIRS, OWN),
        **_each((Role.BUSINESS_SUPPORT, Role.IRO_MANAGER), SEEN),
    },
    Action.CORE_GROUP_RECORD: {
        **_each((Role.BUSINESS_SUPPORT, *CHAIRS), SEEN),
        **_each((Role.SOCIAL_WORKER, Role.TEAM_MANAGER), TEAM),
    },
    Action.CHAIR_UNAVAILABILITY: _each(CHAIRS, ALL),
    Action.CHALLENGE_RAISE: _each(CHAIRS, SEEN),
    # The IRO who raised it (the allocated IRO in the matrix), and senior IROs and the
    # manager standing in.
    Action.CHALLENGE_IRO: {**_each((Role.SENIOR_IRO, Role.IRO_MANAGER), SEEN), Role.IRO: OWN},
    # Whoever must answer the current stage: at the informal stage, the manager of the
    # child's team (challenges.steps.responder_for).
    Action.CHALLENGE_RESPOND: {Role.TEAM_MANAGER: TEAM},
    Action.CHALLENGE_REASSIGN: {
        **_each((Role.SENIOR_IRO, Role.IRO_MANAGER), SEEN),
        Role.IRO: OWN,
        Role.TEAM_MANAGER: TEAM,
    },
    Action.CHALLENGE_DECIDE: _each((Role.IRO_MANAGER,), SEEN),
    # Challenge clinics (challenges.clinic_policies): the IRO service manager runs them and
    # reads them all; the panel and the invitees read the clinics they are part of. In the
    # matrix a child's clinic invites its IRO and social worker (allocated) and its team's
    # manager, and its panel is the head of the child's service (same team).
    Action.CLINIC_VIEW: {
        Role.IRO_MANAGER: SEEN,
        **_each((Role.IRO, Role.SENIOR_IRO, Role.SOCIAL_WORKER), OWN),
        **_each((Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE), TEAM),
    },
    Action.CLINIC_RUN: _each((Role.IRO_MANAGER,), SEEN),
    # Audits (audits.policies): IROs audit; managers read the themes.
    # The child's IRO or the meeting's chair (the allocated IRO in the matrix); senior
    # IROs and the IRO service manager audit any meeting they can see.
    Action.AUDIT_CARRY_OUT: {Role.IRO: OWN, **_each((Role.SENIOR_IRO, Role.IRO_MANAGER), SEEN)},
    Action.AUDIT_LISTS: _each(
        (*CHAIRS, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.TEAM_MANAGER), ALL
    ),
    Action.AUDIT_THEMES: _each(
        (*CHAIRS, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.TEAM_MANAGER), ALL
    ),
    Action.AUDIT_TEMPLATES: _each((Role.SYSTEM_ADMIN, Role.IRO_MANAGER), ALL),
    # Dashboards and returns (reporting): figures, each child behind them through
    # children_visible_to.
    Action.DASHBOARD_IRO: _each(CHAIRS, ALL),
    Action.DASHBOARD_SERVICE: _each(SERVICE_FIGURES, ALL),
    Action.DASHBOARD_SUPPORT: _each((Role.BUSINESS_SUPPORT, Role.IRO_MANAGER), ALL),
    Action.DASHBOARD_DRILL: _each((*CHAIRS, *SERVICE_FIGURES, Role.BUSINESS_SUPPORT), ALL),
    Action.CASELOAD_SETTINGS: _each((Role.IRO_MANAGER,), ALL),
    Action.ANNUAL_REPORT_READ: _each(
        (
            Role.IRO_MANAGER,
            Role.HEAD_OF_SERVICE,
            Role.DIRECTOR,
            Role.PERFORMANCE,
            Role.SYSTEM_ADMIN,
        ),
        ALL,
    ),
    Action.ANNUAL_REPORT_WRITE: _each((Role.IRO_MANAGER, Role.HEAD_OF_SERVICE), ALL),
    Action.POPULATION_KEEP: _each((Role.IRO_MANAGER, Role.SYSTEM_ADMIN), ALL),
    Action.RETURNS_EXPORT: _each((Role.IRO_MANAGER,), ALL),
    Action.RETURNS_IMPORT: _each((Role.IRO_MANAGER, Role.SYSTEM_ADMIN), ALL),
    Action.RETURNS_PAGE: _each((Role.IRO_MANAGER, Role.SYSTEM_ADMIN), ALL),
    # Figures only: the performance role reads them too.
    Action.CHALLENGE_THEMES: _each(
        (Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER, Role.PERFORMANCE), ALL
    ),
    Action.TIMESCALES_READ: _each(
        (Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER, Role.SYSTEM_ADMIN, Role.PERFORMANCE), ALL
    ),
    Action.TIMESCALES_KEEP: _each((Role.SYSTEM_ADMIN, Role.IRO_MANAGER), ALL),
    Action.SERVICE_HEALTH: _each((Role.SYSTEM_ADMIN,), ALL),
}

# Actions that read no case content: seeing the child is not needed for them.
RELATIONSHIP_FREE = frozenset(
    {
        Action.SIGNED_IN,
        Action.CHILD_CREATE,
        Action.CONFLICT_REVIEW,
        Action.ACCESS_REASON_GIVE,
        Action.OUT_OF_RELATIONSHIP_REPORT,
        Action.REVIEW_LISTS,
        Action.CHAIR_UNAVAILABILITY,
        Action.CHALLENGE_THEMES,
        Action.AUDIT_LISTS,
        Action.AUDIT_THEMES,
        Action.AUDIT_TEMPLATES,
        Action.DASHBOARD_IRO,
        Action.DASHBOARD_SERVICE,
        Action.DASHBOARD_SUPPORT,
        Action.DASHBOARD_DRILL,
        Action.CASELOAD_SETTINGS,
        Action.ANNUAL_REPORT_READ,
        Action.ANNUAL_REPORT_WRITE,
        Action.POPULATION_KEEP,
        Action.RETURNS_EXPORT,
        Action.RETURNS_IMPORT,
        Action.RETURNS_PAGE,
        Action.TIMESCALES_READ,
        Action.TIMESCALES_KEEP,
        Action.SERVICE_HEALTH,
    }
)
# Records that exist only for the people involved in them: to anyone else who can see the
# child they are absent (404), not forbidden (SECURITY.md "invisible means 404").
INVOLVEMENT = frozenset({Action.CLINIC_VIEW})
# The one way to reach a child one cannot see: the information governance officer reads
# its access log, which shows the child's ID and no case content.
BEYOND_VISIBILITY = frozenset({Action.ACCESS_LOG_READ})


def roles_with_scope(*scopes: Scope) -> frozenset[Role]:
    return frozenset(role for role, scope in SCOPE.items() if scope in scopes)


def sees(role: Role, relationship: Relationship) -> bool:
    """Whether a role reaches a child in this relationship at all."""
    return relationship in VISIBLE_RELATIONSHIPS[SCOPE[role]]


def decide(role: Role, relationship: Relationship, action: Action) -> Outcome:
    """The policy for one role, one relationship to a child, one action.

    A role with no right to the action at all gets ``DENY``: a 403 or a 404, since a view
    may refuse the role before it looks the child up, and neither tells them anything.
    """
    relationships = ACTIONS[action].get(role)
    if relationships is None:
        return Outcome.DENY
    allowed = relationship in relationships
    if action in RELATIONSHIP_FREE:
        return Outcome.ALLOW if allowed else Outcome.FORBID
    if allowed and (sees(role, relationship) or action in BEYOND_VISIBILITY):
        return Outcome.ALLOW
    if action in INVOLVEMENT:
        return Outcome.HIDE
    return Outcome.FORBID if sees(role, relationship) else Outcome.HIDE


def decide_for(roles: Iterable[Role], relationship: Relationship, action: Action) -> Outcome:
    """A user with several roles gets the most open answer any of them gives."""
    outcomes = {decide(role, relationship, action) for role in roles}
    for outcome in (Outcome.ALLOW, Outcome.FORBID, Outcome.DENY):
        if outcome in outcomes:
            return outcome
    return Outcome.HIDE


def may(roles: Iterable[Role], action: Action, relationship: Relationship | None = None) -> bool:
    """Whether any of ``roles`` may take ``action``: in ``relationship`` if given, else in
    some relationship (a role-level question, such as which links a page offers)."""
    for role in roles:
        allowed = ACTIONS[action].get(role, frozenset())
        if relationship in allowed if relationship is not None else allowed:
            return True
    return False


def matrix() -> list[tuple[Role, Relationship, Action, Outcome]]:
    """The whole table, for documentation and the access-matrix test."""
    return [
        (role, relationship, action, decide(role, relationship, action))
        for action in Action
        for role in Role
        for relationship in Relationship
    ]
