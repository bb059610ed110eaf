"""Reads of the Issues Resolution Process. Every read starts from ``children_visible_to``:
a challenge is visible when the user can see at least one child it covers, and only those
children are shown."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.http import Http404

from challenges import policies, workflow
from challenges.models import (
    Approval,
    Challenge,
    ChallengeDraft,
    ChallengeReason,
    ChallengeStage,
    Clinic,
    ClinicAction,
    ClinicInvitee,
    ClinicItem,
)
from children.models import Child
from children.selectors import children_visible_pairs, children_visible_to
from iro_service.core.json_rows import ArrayOf
from people.models import User


def _visible_children(user: User) -> QuerySet[Child]:
    return children_visible_to(user).only("pk", "first_name", "last_name", "la_child_id")


def challenges_visible_to(user: User) -> QuerySet[Challenge]:
    """Challenges covering at least one child the user may see."""
    return Challenge.objects.filter(Exists(_covered(children_visible_to(user))))


def _covered(children: QuerySet[Child]) -> QuerySet[Model]:
    """The links of the outer challenge to these children."""
    return Challenge.children.through.objects.filter(
        challenge_id=OuterRef("pk"), child__in=children
    )


def _visible_through_children(
    pairs: Iterable[tuple[int, int]], through: type[Model], owner: str
) -> set[tuple[int, int]]:
    """Which (user id, record id) pairs have the user seeing at least one of the record's
    children, ``through`` being the record's children link and ``owner`` its column for
    the record: one query for the links, then ``children_visible_pairs``."""
    wanted = set(pairs)
    covers: dict[int, list[int]] = {}
    rows = through.objects.filter(**{f"{owner}__any": {record for _, record in wanted}})
    for record, child in rows.values_list(owner, "child_id"):
        covers.setdefault(record, []).append(child)
    seen = children_visible_pairs(
        (user, child) for user, record in wanted for child in covers.get(record, ())
    )
    return {
        (user, record)
        for user, record in wanted
        if any((user, child) in seen for child in covers.get(record, ()))
    }


def challenges_visible_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (user id, challenge id) pairs are visible: the answer
    ``challenges_visible_to`` gives, for many users and challenges in a constant number of
    queries."""
    return _visible_through_children(pairs, Challenge.children.through, "challenge_id")


def clinic_children_seen_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (user id, clinic id) pairs have the user seeing a child the clinic
    covers: for people involved in the clinic (its chair, action owners) that is what
    ``clinics_visible_to`` asks of them."""
    return _visible_through_children(pairs, Clinic.children.through, "clinic_id")


def _for_lists(challenges: QuerySet[Challenge], user: User) -> QuerySet[Challenge]:
    return challenges.select_related(
        "raised_by", "team", "current", "current__responder"
    ).prefetch_related(
        "reasons",
        Prefetch("children", queryset=_visible_children(user).order_by("last_name", "pk")),
    )


# What the challenge tables show of each challenge, its current stage and who answers it
# (``challenge_tables.challenge_rows``), and what My challenges groups them by.
TABLE_FIELDS = (
    "reference",
    "scope",
    "stage",
    "status",
    "current__response_due",
    "current__responded_on",
    "current__responder__first_name",
    "current__responder__last_name",
    "current__responder__email",
)


def _table_of_visible(user: User) -> QuerySet[Challenge]:
    """The challenges the user can see as the challenge tables show them (My challenges,
    For me to answer, All challenges): the current stage and its responder joined, and in
    the same query the labels of the reasons (``reason_labels``) and the names of the
    children the user can see (``child_names``, by surname), each as an array, as the API
    list reads them. The links to those children are built once, for the filter and the
    names. No prefetch queries, no related manager per row (issue 11); only
    ``TABLE_FIELDS``."""
    covered = _covered(children_visible_to(user))
    names = covered.order_by("child__last_name", "child_id").values(
        name=Concat("child__first_name", Value(" "), "child__last_name")
    )
    reasons = ChallengeReason.objects.filter(challenges=OuterRef("pk")).order_by("order", "label")
    return (
        Challenge.objects.filter(Exists(covered))
        .select_related("current__responder")
        .only(*TABLE_FIELDS)
        .annotate(child_names=ArrayOf(names), reason_labels=ArrayOf(reasons.values("label")))
    )


@dataclass(frozen=True)
class ChallengeFilters:
    reason: str = ""
    stage: str = ""
    team_id: int | None = None
    iro_id: int | None = None
    status: str = ""
    overdue: bool = False
    child_id: int | None = None


def challenge_list_for_user(
    *, user: User, filters: ChallengeFilters | None = None, today: date
) -> QuerySet[Challenge]:
    """All challenges the user can see, filtered (reason, stage, team, IRO, status,
    overdue: the current stage's response due date has passed with no response), newest
    first, with their reasons and the children the user can see prefetched."""
    filtered = _filtered(challenges_visible_to(user), filters or ChallengeFilters(), today)
    return _for_lists(filtered, user).order_by("-raised_on", "-pk")


def challenge_table_for_user(
    *, user: User, filters: ChallengeFilters | None = None, today: date
) -> QuerySet[Challenge]:
    """``challenge_list_for_user`` as the All challenges page shows it
    (``_table_of_visible``)."""
    filtered = _filtered(_table_of_visible(user), filters or ChallengeFilters(), today)
    return filtered.order_by("-raised_on", "-pk")


def _filtered(
    challenges: QuerySet[Challenge], f: ChallengeFilters, today: date
) -> QuerySet[Challenge]:
    """``challenges`` narrowed by the filters of the All challenges page."""
    if f.reason:
        challenges = _with_reason(challenges, f.reason)
    if f.stage:
        challenges = challenges.filter(stage=f.stage)
    if f.team_id:
        challenges = challenges.filter(team_id=f.team_id)
    if f.iro_id:
        challenges = challenges.filter(raised_by_id=f.iro_id)
    if f.status == "open":
        challenges = challenges.filter(status__in=workflow.OPEN_STATUSES)
    elif f.status:
        challenges = challenges.filter(status=f.status)
    if f.overdue:
        challenges = challenges.filter(overdue_q(today))
    if f.child_id:
        challenges = _covering_child(challenges, f.child_id)
    return challenges


def challenge_list_for_api(*, user: User) -> QuerySet[Challenge]:
    """All challenges the user can see, newest first, as the API's list shows them: the
    current stage joined, and in the same query the reason codes (``reason_codes``) and the
    ids of the children the user can see (``child_ids``, by name), each as an array: no
    prefetch queries, and no related manager per row."""
    covered = _covered(children_visible_to(user))
    by_name = covered.order_by("child__last_name", "child_id").values("child_id")
    reasons = ChallengeReason.objects.filter(challenges=OuterRef("pk")).order_by("order", "label")
    return (
        Challenge.objects.filter(Exists(covered))
        .select_related("current")
        .annotate(
            child_ids=ArrayOf(by_name),
            reason_codes=ArrayOf(reasons.values("code")),
        )
        .order_by("-raised_on", "-pk")
    )


def _with_reason(challenges: QuerySet[Challenge], code: str) -> QuerySet[Challenge]:
    """Challenges giving this reason. A subquery, not a join: each challenge comes once,
    so the list needs no DISTINCT (which would sort every row by every column)."""
    given = Challenge.reasons.through.objects.filter(
        challenge_id=OuterRef("pk"), challengereason__code=code
    )
    return challenges.filter(Exists(given))


def _covering_child(challenges: QuerySet[Challenge], child_id: int) -> QuerySet[Challenge]:
    """Challenges covering this child (a subquery, as ``_with_reason``)."""
    covers = Challenge.children.through.objects.filter(
        challenge_id=OuterRef("pk"), child_id=child_id
    )
    return challenges.filter(Exists(covers))


def overdue_q(today: date) -> Q:
    return Q(status=workflow.AWAITING_RESPONSE, current__response_due__lt=today)


def my_challenges(*, user: User, today: date) -> dict[str, list[Challenge]]:
    """The IRO's open challenges in three groups: overdue, awaiting a response, and
    awaiting the IRO's decision (a response came, or an approval was declined)."""
    rows = list(
        _table_of_visible(user)
        .filter(raised_by=user, status__in=workflow.OPEN_STATUSES)
        .order_by("current__response_due", "pk")
    )
    groups: dict[str, list[Challenge]] = {
        "overdue": [],
        "awaiting": [],
        "decide": [],
        "approval": [],
    }
    for row in rows:
        due = row.current.response_due if row.current else None
        if row.status == workflow.AWAITING_IRO:
            groups["decide"].append(row)
        elif row.status == workflow.AWAITING_APPROVAL:
            groups["approval"].append(row)
        elif due is not None and due < today:
            groups["overdue"].append(row)
        else:
            groups["awaiting"].append(row)
    return groups


def challenges_to_answer(*, user: User) -> QuerySet[Challenge]:
    """Open challenges whose current stage is with the user, soonest due first."""
    return (
        _table_of_visible(user)
        .filter(
            current__responder=user,
            status=workflow.AWAITING_RESPONSE,
            current__responded_on__isnull=True,
        )
        .order_by("current__response_due", "pk")
    )


def challenges_awaiting_approval(*, user: User) -> QuerySet[Approval]:
    """Pending approval requests on open challenges the user can see, oldest first."""
    visible = challenges_visible_to(user).filter(status__in=workflow.OPEN_STATUSES)
    return (
        Approval.objects.filter(decision=Approval.Decision.PENDING, challenge__in=visible)
        .select_related("challenge", "challenge__team", "requested_by", "referral")
        .prefetch_related(
            Prefetch(
                "challenge__children",
                queryset=_visible_children(user).order_by("last_name", "pk"),
            )
        )
        .order_by("requested_at", "pk")
    )


def challenge_get_for_user(*, user: User, pk: int) -> Challenge:
    """One challenge with its stages, actions, approvals, referrals and events, or 404."""
    challenge = (
        _for_lists(challenges_visible_to(user).filter(pk=pk), user)
        .prefetch_related(
            Prefetch(
                "stages",
                queryset=ChallengeStage.objects.select_related(
                    "responder", "responded_by"
                ).prefetch_related("actions__owner"),
            ),
            "approvals__requested_by",
            "approvals__decided_by",
            "cafcass_referrals__referred_by",
            "events__by",
        )
        .first()
    )
    if challenge is None:
        raise Http404("No such challenge")
    return challenge


def approval_get_for_user(*, user: User, pk: int) -> Approval:
    approval = (
        Approval.objects.filter(pk=pk, challenge__in=challenges_visible_to(user))
        .select_related("challenge", "referral", "requested_by")
        .first()
    )
    if approval is None:
        raise Http404("No such request")
    return approval


# Challenge clinics -------------------------------------------------------------------------


def clinics_visible_to(user: User) -> QuerySet[Clinic]:
    """Clinics covering at least one child the user may see, and that the user runs (the
    IRO service manager), chairs, sits on or was invited to, or owns an action of. Anyone
    else gets a 404, even for a child they can see (``policy.INVOLVEMENT``)."""
    if not user.is_authenticated:
        return Clinic.objects.none()
    covered = Clinic.children.through.objects.filter(
        clinic_id=OuterRef("pk"), child__in=children_visible_to(user)
    )
    clinics = Clinic.objects.filter(Exists(covered))
    if policies.can_run_clinics(user):
        return clinics
    invited = ClinicInvitee.objects.filter(clinic_id=OuterRef("pk"), user_id=user.pk)
    owns = ClinicAction.objects.filter(clinic_id=OuterRef("pk"), owner_id=user.pk)
    return clinics.filter(Q(chair_id=user.pk) | Exists(invited) | Exists(owns))


def _visible_clinic_items(user: User) -> QuerySet[ClinicItem]:
    """Items about a child the user may see, or a challenge covering one; each challenge
    with only its visible children."""
    return (
        ClinicItem.objects.filter(
            Q(child__in=children_visible_to(user)) | Q(challenge__in=challenges_visible_to(user))
        )
        .select_related("child", "challenge")
        .prefetch_related(
            Prefetch(
                "challenge__children",
                queryset=_visible_children(user).order_by("last_name", "pk"),
            ),
            Prefetch("actions", queryset=ClinicAction.objects.select_related("owner")),
        )
        .order_by("pk")
    )


def _clinic_challenges(user: User) -> Prefetch:
    return Prefetch(
        "challenges", queryset=challenges_visible_to(user).only("pk", "reference").order_by("pk")
    )


UPCOMING, PAST = "upcoming", "past"


def clinic_list_for_user(*, user: User, today: date, when: str = "") -> QuerySet[Clinic]:
    """The clinics the user may see, each with its visible challenges and the number of
    children in it the user may see. ``when``: "upcoming" (scheduled for today or later,
    soonest first), "past" (held, cancelled, or scheduled for a day gone by and not yet
    recorded; latest first), or "" for all, latest first."""
    visible_count = (
        Clinic.children.through.objects.filter(
            clinic_id=OuterRef("pk"), child__in=children_visible_to(user)
        )
        .order_by()
        .values("clinic_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    clinics = (
        clinics_visible_to(user)
        .select_related("chair")
        .prefetch_related(_clinic_challenges(user))
        .annotate(child_count=Subquery(visible_count, output_field=IntegerField()))
    )
    upcoming = Q(status=Clinic.Status.SCHEDULED, starts_at__date__gte=today)
    if when == UPCOMING:
        return clinics.filter(upcoming).order_by("starts_at", "pk")
    if when == PAST:
        clinics = clinics.exclude(upcoming)
    return clinics.order_by("-starts_at", "-pk")


# The panel first, then the roles in the order they are listed.
_INVITEE_ORDER = Case(
    *[When(role=role, then=Value(n)) for n, role in enumerate(ClinicInvitee.Role.values)]
)


def clinic_get_for_user(*, user: User, pk: int) -> Clinic:
    """One clinic with the items, actions, invitees and events the user may see, or 404."""
    clinic = (
        clinics_visible_to(user)
        .filter(pk=pk)
        .select_related("chair", "scheduled_by")
        .prefetch_related(
            _clinic_challenges(user),
            Prefetch("items", queryset=_visible_clinic_items(user), to_attr="visible_items"),
            Prefetch(
                "invitees",
                queryset=ClinicInvitee.objects.select_related("user").order_by(
                    _INVITEE_ORDER, "user__last_name", "pk"
                ),
            ),
            "events__by",
        )
        .first()
    )
    if clinic is None:
        raise Http404("No such clinic")
    return clinic


def clinics_for_challenge(*, user: User, challenge: Challenge) -> QuerySet[Clinic]:
    """The clinics that considered or will consider ``challenge``, as the user may see."""
    return clinics_visible_to(user).filter(challenges=challenge).order_by("-starts_at", "-pk")


def challenge_draft_for(
    *, user: User, child: Child | None = None, challenge: Challenge | None = None
) -> ChallengeDraft | None:
    """The user's own kept draft of the raise form about ``child`` or of the response to
    ``challenge`` (the caller has already found them visible to the user)."""
    return ChallengeDraft.objects.filter(author=user, child=child, challenge=challenge).first()
