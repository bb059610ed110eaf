"""A small hand-built dataset for the annual report metrics of 2019-20 (1 April 2019 to
31 March 2020), with a little of 2018-19 beside it.

Rows are created directly (not through the services): the metrics read stored facts,
and a past year's records cannot be entered through pages that refuse future-dated or
out-of-sequence events in the way an import would write them. Every expected figure is
worked out by hand in the tests, from the comments here.

Children in care (E = 31/03/2020, S = 31/03/2019):
  A  M, born 31/03/2010 (10 on E), WBRI. Period from 10/01/2015: ep S 10/01/2015 U4 ->
     ep P 01/06/2017 U4 (placement began) -> ep L 01/08/2019 U4, open.
  B  F, born 15/01/2005 (15), MWBC. Period from 01/05/2016: ep S K2 -> ep L 01/02/2019
     K2 -> ep P 01/06/2019 U6 -> ep T 01/10/2019 U6 -> ep B 15/01/2020 U4, open.
  C  M, born 01/09/2019 (0), WBRI. Period from 20/09/2019: ep S V2 U3, open.
  D  U, born 01/02/2003 (17), BAFR. Period from 10/01/2018: ep S V2 H5, open.
  E  F, born 31/03/2015, WBRI. Period 05/01/2016: ep S C1 U1 -> X1 01/05/2019 -> ep L C2
     U1 ends 10/02/2020 E11.
  F  M, born 07/07/2008, APKN. Short breaks only: ep S V3 from 01/06/2018, open.
  G  M, born 04/04/2006, WBRI. Period 10/04/2019 S V2 U6 ends 10/06/2019 E13; period
     01/09/2019 S V2 U6 ends 01/12/2019 E4A.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from audits.models import Audit, AuditAnswer, AuditQuestion, AuditTemplate, AuditTemplateVersion
from challenges.models import CafcassReferral, Challenge, ChallengeReason
from children import codes
from children.models import (
    Allocation,
    Child,
    ChildProtectionPlan,
    Episode,
    PeriodOfCare,
    S47Enquiry,
)
from conferences.models import Conference
from people.models import User
from reporting.models import Population
from reviews.models import ChildContact, Review

d = date


@dataclass
class Dataset:
    prefix: str = ""
    children: dict[str, Child] = field(default_factory=dict)
    periods: dict[str, PeriodOfCare] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    conferences: dict[str, Conference] = field(default_factory=dict)
    plans: dict[str, ChildProtectionPlan] = field(default_factory=dict)


def make_child(key: str, sex: str, dob: date | None, ethnicity: str = "WBRI", **extra) -> Child:
    extra.setdefault("upn", "UN1")  # a valid "not known" UPN, so the returns round-trip
    return Child.objects.create(
        la_child_id=f"RPT{key}",
        first_name=f"Child{key}",
        last_name="Report",
        sex=sex,
        date_of_birth=dob,
        ethnicity=ethnicity,
        **extra,
    )


def make_period(child: Child, start: date, end: date | None = None) -> PeriodOfCare:
    return PeriodOfCare.objects.create(
        child=child, start_date=start, end_date=end, iro_allocation_due=start
    )


def make_episode(
    period: PeriodOfCare,
    decom: date,
    rne: str,
    *,
    ls: str = "C2",
    place: str = "U4",
    dec: date | None = None,
    rec: str = "",
) -> Episode:
    provider = "" if place in codes.NO_PROVIDER_PLACEMENTS else "PR1"
    return Episode.objects.create(
        period=period,
        decom=decom,
        rne=rne,
        ls=ls,
        cin="N1",
        place=place,
        place_provider=provider,
        dec=dec,
        rec=rec,
    )


def make_review(
    child: Child,
    period: PeriodOfCare,
    held: date | None,
    due: date,
    code: str = "",
    *,
    source: str = "recorded",
    status: str = Review.Status.HELD,
) -> Review:
    return Review.objects.create(
        child=child,
        period=period,
        sequence_rule="CLA-3",
        clock_start=period.start_date,
        original_due_date=due,
        due_date=due,
        status=status,
        held_date=held,
        participation_code=code,
        source=source,
    )


def build_children_in_care(data: Dataset, iro: User) -> None:
    kids = data.children
    kids["A"] = make_child(data.prefix + "A", "M", d(2010, 3, 31))
    kids["B"] = make_child(data.prefix + "B", "F", d(2005, 1, 15), "MWBC")
    kids["C"] = make_child(data.prefix + "C", "M", d(2019, 9, 1))
    kids["D"] = make_child(data.prefix + "D", "U", d(2003, 2, 1), "BAFR")
    kids["E"] = make_child(data.prefix + "E", "F", d(2015, 3, 31))
    kids["F"] = make_child(data.prefix + "F", "M", d(2008, 7, 7), "APKN")
    kids["G"] = make_child(data.prefix + "G", "M", d(2006, 4, 4))

    a = data.periods["A"] = make_period(kids["A"], d(2015, 1, 10))
    make_episode(a, d(2015, 1, 10), "S", dec=d(2017, 6, 1), rec="X1")
    make_episode(a, d(2017, 6, 1), "P", dec=d(2019, 8, 1), rec="X1")
    make_episode(a, d(2019, 8, 1), "L")

    b = data.periods["B"] = make_period(kids["B"], d(2016, 5, 1))
    make_episode(b, d(2016, 5, 1), "S", place="K2", dec=d(2019, 2, 1), rec="X1")
    make_episode(b, d(2019, 2, 1), "L", place="K2", dec=d(2019, 6, 1), rec="X1")
    make_episode(b, d(2019, 6, 1), "P", place="U6", dec=d(2019, 10, 1), rec="X1")
    make_episode(b, d(2019, 10, 1), "T", place="U6", dec=d(2020, 1, 15), rec="X1")
    make_episode(b, d(2020, 1, 15), "B", place="U4")

    c = data.periods["C"] = make_period(kids["C"], d(2019, 9, 20))
    make_episode(c, d(2019, 9, 20), "S", ls="V2", place="U3")

    dd = data.periods["D"] = make_period(kids["D"], d(2018, 1, 10))
    make_episode(dd, d(2018, 1, 10), "S", ls="V2", place="H5")

    e = data.periods["E"] = make_period(kids["E"], d(2016, 1, 5), d(2020, 2, 10))
    make_episode(e, d(2016, 1, 5), "S", ls="C1", place="U1", dec=d(2019, 5, 1), rec="X1")
    make_episode(e, d(2019, 5, 1), "L", place="U1", dec=d(2020, 2, 10), rec="E11")

    f = data.periods["F"] = make_period(kids["F"], d(2018, 6, 1))
    make_episode(f, d(2018, 6, 1), "S", ls="V3", place="U6")

    g1 = make_period(kids["G"], d(2019, 4, 10), d(2019, 6, 10))
    make_episode(g1, d(2019, 4, 10), "S", ls="V2", place="U6", dec=d(2019, 6, 10), rec="E13")
    g2 = make_period(kids["G"], d(2019, 9, 1), d(2019, 12, 1))
    make_episode(g2, d(2019, 9, 1), "S", ls="V2", place="U6", dec=d(2019, 12, 1), rec="E4A")
    build_reviews(data, iro)


def build_reviews(data: Dataset, iro: User) -> None:
    """Reviews (held date / original due date / code / source):
    R0 A 01/12/2018 (2018-19) / 01/12/2018 / PN1
    R1 A 10/05/2019 / 01/06/2019 / PN1 / seen by visit 01/05/2019 (after R0)
    R2 A 20/11/2019 / 10/11/2019 late / PN6 / phone call only
    R3 B 01/07/2019 / 01/07/2019 on the day / PN7 / video call 25/06/2019
    R4 C 15/10/2019 / 18/10/2019 / PN0 / imported
    R5 F 01/08/2019: short breaks only, not counted
    R6a D 01/10/2019 / 05/10/2019 / PN1, no contact
    R6b D 31/03/2020 / 01/03/2020 late / PN2 / visit 15/09/2019, before R6a: not counted
    A cancelled review of A (never held) is not counted."""
    kids, periods, reviews = data.children, data.periods, data.reviews
    reviews["R0"] = make_review(kids["A"], periods["A"], d(2018, 12, 1), d(2018, 12, 1), "PN1")
    reviews["R1"] = make_review(kids["A"], periods["A"], d(2019, 5, 10), d(2019, 6, 1), "PN1")
    reviews["R2"] = make_review(kids["A"], periods["A"], d(2019, 11, 20), d(2019, 11, 10), "PN6")
    reviews["R3"] = make_review(kids["B"], periods["B"], d(2019, 7, 1), d(2019, 7, 1), "PN7")
    reviews["R4"] = make_review(
        kids["C"], periods["C"], d(2019, 10, 15), d(2019, 10, 18), "PN0", source="imported"
    )
    reviews["R5"] = make_review(kids["F"], periods["F"], d(2019, 8, 1), d(2019, 9, 1), "PN1")
    reviews["R6a"] = make_review(kids["D"], periods["D"], d(2019, 10, 1), d(2019, 10, 5), "PN1")
    reviews["R6b"] = make_review(kids["D"], periods["D"], d(2020, 3, 31), d(2020, 3, 1), "PN2")
    make_review(kids["A"], periods["A"], None, d(2020, 5, 20), status=Review.Status.CANCELLED)
    for review, on, how in [
        ("R1", d(2019, 5, 1), ChildContact.How.VISIT),
        ("R2", d(2019, 11, 1), ChildContact.How.PHONE),
        ("R3", d(2019, 6, 25), ChildContact.How.VIDEO),
        ("R6b", d(2019, 9, 15), ChildContact.How.VISIT),
    ]:
        ChildContact.objects.create(review=reviews[review], on=on, how=how, seen_alone=True, by=iro)


def make_plan(
    child: Child,
    start: date,
    end: date | None,
    categories: list[str],
    previous: int = 0,
) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        child=child,
        start_date=start,
        end_date=end,
        initial_categories=categories,
        latest_categories=categories,
        previous_plans=previous,
    )


def build_child_protection(data: Dataset) -> None:
    """Plans (start / end / latest categories / previous plans):
    P1 H (M)   01/06/2017 / open       / NEG      / 0
    P2 I (F)   10/01/2019 / 10/07/2019 / PHY, EMO / 0
    P3 J (unborn, expected 01/06/2020) 01/12/2019 / open / EMO / 1
    P4 K (F)   01/04/2017 / 01/04/2019 / NEG      / 0   (exactly 2 years)
    P5 I (F)   01/08/2019 / open       / PHY      / 1
    P6 L (U)   31/12/2018 / open       / SAB      / 0   (exactly 15 months on E)
    P7 M (M)   07/05/2019 / 01/11/2019 / none     / 0
    P8 N (F)   01/02/2019 / open       / NEG, EMO / 0
    P9 O (M)   15/06/2018 / open       / PHY      / 0
    P10 P (F, born 10/09/2019) 20/08/2019 / 20/01/2020 / NEG / 0 (pre-birth plan)"""
    kids, plans = data.children, data.plans
    kids["H"] = make_child(data.prefix + "H", "M", d(2012, 1, 1))
    kids["I"] = make_child(data.prefix + "I", "F", d(2015, 5, 5))
    kids["J"] = make_child(data.prefix + "J", "U", None, expected_date_of_birth=d(2020, 6, 1))
    kids["K"] = make_child(data.prefix + "K", "F", d(2010, 10, 10))
    kids["L"] = make_child(data.prefix + "L", "U", d(2016, 2, 2))
    kids["M"] = make_child(data.prefix + "M", "M", d(2011, 11, 11))
    kids["N"] = make_child(data.prefix + "N", "F", d(2013, 3, 3))
    kids["O"] = make_child(data.prefix + "O", "M", d(2014, 4, 4))
    kids["P"] = make_child(data.prefix + "P", "F", d(2019, 9, 10))
    kids["Q"] = make_child(data.prefix + "Q", "M", d(2017, 7, 7))
    plans["P1"] = make_plan(kids["H"], d(2017, 6, 1), None, ["NEG"])
    plans["P2"] = make_plan(kids["I"], d(2019, 1, 10), d(2019, 7, 10), ["PHY", "EMO"])
    plans["P3"] = make_plan(kids["J"], d(2019, 12, 1), None, ["EMO"], previous=1)
    plans["P4"] = make_plan(kids["K"], d(2017, 4, 1), d(2019, 4, 1), ["NEG"])
    plans["P5"] = make_plan(kids["I"], d(2019, 8, 1), None, ["PHY"], previous=1)
    plans["P6"] = make_plan(kids["L"], d(2018, 12, 31), None, ["SAB"])
    plans["P7"] = make_plan(kids["M"], d(2019, 5, 7), d(2019, 11, 1), [])
    plans["P8"] = make_plan(kids["N"], d(2019, 2, 1), None, ["NEG", "EMO"])
    plans["P9"] = make_plan(kids["O"], d(2018, 6, 15), None, ["PHY"])
    plans["P10"] = make_plan(kids["P"], d(2019, 8, 20), d(2020, 1, 20), ["NEG"])
    build_conferences(data)


def make_enquiry(child: Child, strategy: date | None, start: date) -> S47Enquiry:
    return S47Enquiry.objects.create(
        child=child, strategy_discussion_date=strategy, start_date=start, icpc_due=start
    )


def make_conference(
    child: Child,
    kind: str,
    held: date | None,
    *,
    rule: str,
    clock: date,
    due: date,
    enquiry: S47Enquiry | None = None,
    plan: ChildProtectionPlan | None = None,
    status: str = Conference.Status.HELD,
) -> Conference:
    return Conference.objects.create(
        child=child,
        conference_type=kind,
        status=status,
        rule_id=rule,
        clock_start=clock,
        original_due_date=due,
        held_on=held,
        s47_enquiry=enquiry,
        cp_plan=plan,
    )


def build_conferences(data: Dataset) -> None:
    """Conferences (type / held / strategy discussion / s47 start / stored clock):
    C1 J pre-birth ICPC 02/12/2019, strategy = s47 = Fri 15/11/2019, CP-1 due 06/12/2019
    C2 I ICPC 01/08/2019, strategy Mon 01/07/2019, s47 Wed 03/07/2019, CP-1 due 22/07/2019
    C3 M ICPC 07/05/2019 (imported), strategy Wed 10/04/2019, s47 Fri 12/04/2019; its clock
       was stored from the s47 start (CP-1 12/04/2019 due 08/05/2019)
    C4 Q ICPC 10/10/2019, no strategy discussion, s47 Tue 01/10/2019
    C5 transfer-in 01/06/2019; C6 ICPC cancelled; C7 N ICPC 01/02/2019 (2018-19)
    RC1 H RCPC 01/06/2019 CP-7 due 10/06/2019; RC2 I RCPC 15/04/2019 CP-6 due 10/04/2019;
    RC3 P RCPC 15/11/2019 CP-8 clock = birth 10/09/2019, stored due 24/09/2019 (plan P10
    from the pre-birth ICPC 20/08/2019); RC4 cancelled."""
    kids, plans, conferences = data.children, data.plans, data.conferences
    icpc, rcpc = Conference.Type.ICPC, Conference.Type.RCPC
    e1 = make_enquiry(kids["J"], d(2019, 11, 15), d(2019, 11, 15))
    conferences["C1"] = make_conference(
        kids["J"], Conference.Type.PRE_BIRTH, d(2019, 12, 2),
        rule="CP-1", clock=d(2019, 11, 15), due=d(2019, 12, 6), enquiry=e1, plan=plans["P3"],
    )  # fmt: skip
    e2 = make_enquiry(kids["I"], d(2019, 7, 1), d(2019, 7, 3))
    conferences["C2"] = make_conference(
        kids["I"], icpc, d(2019, 8, 1),
        rule="CP-1", clock=d(2019, 7, 1), due=d(2019, 7, 22), enquiry=e2, plan=plans["P5"],
    )  # fmt: skip
    e3 = make_enquiry(kids["M"], d(2019, 4, 10), d(2019, 4, 12))
    conferences["C3"] = make_conference(
        kids["M"], icpc, d(2019, 5, 7),
        rule="CP-1", clock=d(2019, 4, 12), due=d(2019, 5, 8), enquiry=e3, plan=plans["P7"],
    )  # fmt: skip
    e4 = make_enquiry(kids["Q"], None, d(2019, 10, 1))
    conferences["C4"] = make_conference(
        kids["Q"], icpc, d(2019, 10, 10),
        rule="CP-1", clock=d(2019, 10, 1), due=d(2019, 10, 22), enquiry=e4,
    )  # fmt: skip
    conferences["C5"] = make_conference(
        kids["O"], Conference.Type.TRANSFER_IN, d(2019, 6, 1),
        rule="CP-9", clock=d(2019, 5, 20), due=d(2019, 6, 10),
    )  # fmt: skip
    make_conference(
        kids["Q"], icpc, None, rule="CP-1", clock=d(2019, 10, 1), due=d(2019, 10, 22),
        status=Conference.Status.CANCELLED,
    )  # fmt: skip
    e7 = make_enquiry(kids["N"], d(2019, 1, 10), d(2019, 1, 10))
    make_conference(
        kids["N"], icpc, d(2019, 2, 1),
        rule="CP-1", clock=d(2019, 1, 10), due=d(2019, 1, 31), enquiry=e7, plan=plans["P8"],
    )  # fmt: skip
    conferences["RC1"] = make_conference(
        kids["H"], rcpc, d(2019, 6, 1), rule="CP-7", clock=d(2018, 12, 10),
        due=d(2019, 6, 10), plan=plans["P1"],
    )  # fmt: skip
    conferences["RC2"] = make_conference(
        kids["I"], rcpc, d(2019, 4, 15), rule="CP-6", clock=d(2019, 1, 10),
        due=d(2019, 4, 10), plan=plans["P2"],
    )  # fmt: skip
    conferences["RC3"] = make_conference(
        kids["P"], rcpc, d(2019, 11, 15), rule="CP-8", clock=d(2019, 9, 10),
        due=d(2019, 9, 24), plan=plans["P10"],
    )  # fmt: skip
    make_conference(
        kids["H"], rcpc, None, rule="CP-7", clock=d(2019, 6, 1), due=d(2019, 12, 1),
        plan=plans["P1"], status=Conference.Status.CANCELLED,
    )  # fmt: skip


def build_allocations(data: Dataset, alice: User, bob: User) -> None:
    """IRO allocations: alice (1.0 FTE) A, B, C, H open on E, and D until 31/03/2020
    (ended that day: not on E); bob (0.8 FTE) D from 31/03/2020, I, F (short breaks only,
    not counted) and E (left care 10/02/2020, not counted)."""
    kids = data.children
    bob.fte = Decimal("0.80")
    bob.save(update_fields=["fte"])
    rows = [
        (alice, "A", d(2019, 1, 1), None),
        (alice, "B", d(2019, 1, 1), None),
        (alice, "C", d(2019, 9, 20), None),
        (alice, "H", d(2018, 1, 1), None),
        (alice, "D", d(2018, 1, 10), d(2020, 3, 31)),
        (bob, "D", d(2020, 3, 31), None),
        (bob, "I", d(2019, 1, 10), None),
        (bob, "F", d(2018, 6, 1), None),
        (bob, "E", d(2016, 1, 5), None),
    ]
    for user, key, start, end in rows:
        Allocation.objects.create(
            child=kids[key], kind=Allocation.Kind.IRO, user=user, start_date=start, end_date=end
        )


def make_challenge(
    key: str,
    raised_by: User,
    raised: date,
    children: list[Child],
    reasons: list[ChallengeReason],
    *,
    stage: str,
    status: str,
    finished: date | None = None,
    scope: str = Challenge.Scope.CHILD,
) -> Challenge:
    challenge = Challenge.objects.create(
        reference=f"IRP-{key}",
        scope=scope,
        what_is_wrong="x",
        impact_on_child="x",
        what_must_happen="x",
        raised_by=raised_by,
        raised_on=raised,
        stage=stage,
        status=status,
        finished_on=finished,
    )
    challenge.children.set(children)
    challenge.reasons.set(reasons)
    return challenge


def build_challenges(data: Dataset, alice: User) -> None:
    """Challenges (raised / children / reasons / stage / status, finished):
    Ch1 Wed 01/05/2019 A (in care) care_plan, placement / stage_2 / resolved Wed 15/05/2019
    Ch2 Mon 03/06/2019 H (on a plan) contact / informal / resolved Mon 10/06/2019
    Ch3 01/07/2019 service-level A, B care_plan / cafcass / closed 01/09/2019
    Ch4 20/04/2019 siblings B (in care) and I (on plan P2) placement, contact / stage_1 / open
    Ch5 01/03/2020 E (left care 10/02/2020) contact / informal / withdrawn
    Ch6 Fri 01/03/2019 (2018-19) A care_plan / informal / resolved Mon 08/04/2019
    Cafcass: referred 01/08/2019 (Ch3); declined 01/09/2019; concluded 20/03/2019 (2018-19)."""
    kids, p = data.children, data.prefix
    care_plan, placement, contact = (
        ChallengeReason.objects.get_or_create(code=code, defaults={"label": code, "order": n})[0]
        for n, code in enumerate(["rpt-care-plan", "rpt-placement", "rpt-contact"])
    )
    informal, resolved = "informal", Challenge.Status.RESOLVED
    make_challenge(p + "1", alice, d(2019, 5, 1), [kids["A"]], [care_plan, placement],
                   stage="stage_2", status=resolved, finished=d(2019, 5, 15))  # fmt: skip
    make_challenge(p + "2", alice, d(2019, 6, 3), [kids["H"]], [contact],
                   stage=informal, status=resolved, finished=d(2019, 6, 10))  # fmt: skip
    ch3 = make_challenge(p + "3", alice, d(2019, 7, 1), [kids["A"], kids["B"]], [care_plan],
                         stage="cafcass", status=Challenge.Status.CLOSED,
                         finished=d(2019, 9, 1), scope=Challenge.Scope.SERVICE)  # fmt: skip
    make_challenge(p + "4", alice, d(2019, 4, 20), [kids["B"], kids["I"]], [placement, contact],
                   stage="stage_1", status=Challenge.Status.AWAITING_RESPONSE,
                   scope=Challenge.Scope.SIBLINGS)  # fmt: skip
    make_challenge(p + "5", alice, d(2020, 3, 1), [kids["E"]], [contact],
                   stage=informal, status=Challenge.Status.WITHDRAWN,
                   finished=d(2020, 3, 5))  # fmt: skip
    make_challenge(p + "6", alice, d(2019, 3, 1), [kids["A"]], [care_plan],
                   stage=informal, status=resolved, finished=d(2019, 4, 8))  # fmt: skip
    for on, status in [
        (d(2019, 8, 1), CafcassReferral.Status.REFERRED),
        (d(2019, 9, 1), CafcassReferral.Status.DECLINED),
        (d(2019, 3, 20), CafcassReferral.Status.CONCLUDED),
    ]:
        CafcassReferral.objects.create(
            challenge=ch3, referred_on=on, reason="x", what_was_sent="x", child_wishes="x",
            status=status, referred_by=alice,
        )  # fmt: skip


def build_audits(data: Dataset, auditor: User) -> None:
    """Audits (status / completed / rating / meeting / answers q1, q2, q3):
    Au1 completed 01/06/2019 green, review R1: yes, na, na
    Au2 completed 01/12/2019 amber, conference C2: no, yes, na
    Au3 completed 02/04/2020 (2020-21) green, review R3: yes, yes, yes
    Au4 draft, review R2: no, no, no
    Au5 completed 01/07/2019 green, no meeting: partly, yes, na"""
    template = AuditTemplate.objects.create(
        code=f"rpt{data.prefix.lower()}", name="Report audit", kind="cla"
    )
    version = AuditTemplateVersion.objects.create(template=template, number=1)
    questions = [
        AuditQuestion.objects.create(version=version, code=code, text=code, ordering=n)
        for n, code in enumerate(["q1", "q2", "q3"])
    ]
    rows = [
        ("completed", d(2019, 6, 1), "green", data.reviews["R1"], None, ["yes", "na", "na"]),
        ("completed", d(2019, 12, 1), "amber", None, data.conferences["C2"], ["no", "yes", "na"]),
        ("completed", d(2020, 4, 2), "green", data.reviews["R3"], None, ["yes", "yes", "yes"]),
        ("draft", None, "", data.reviews["R2"], None, ["no", "no", "no"]),
        ("completed", d(2019, 7, 1), "green", None, None, ["partly", "yes", "na"]),
    ]
    for status, completed, rating, review, conference, answers in rows:
        meeting = review or conference
        audit = Audit.objects.create(
            version=version, child=meeting.child if meeting else data.children["A"],
            review=review, conference=conference, auditor=auditor, status=status,
            completed_on=completed, rating=rating,
        )  # fmt: skip
        for question, answer in zip(questions, answers, strict=True):
            AuditAnswer.objects.create(audit=audit, question=question, answer=answer)


def build_copy(people: dict[str, User], prefix: str) -> Dataset:
    """The same records again for other children (query-count tests: more rows)."""
    data = Dataset(prefix=prefix)
    build_children_in_care(data, people["alice"])
    build_child_protection(data)
    build_allocations(data, people["alice"], people["bob"])
    build_challenges(data, people["alice"])
    build_audits(data, people["mandy"])
    return data


def build(people: dict[str, User]) -> Dataset:
    """The whole dataset, with the 2019-20 population (16,000) entered and none for 2018."""
    data = Dataset()
    build_children_in_care(data, people["alice"])
    build_child_protection(data)
    build_allocations(data, people["alice"], people["bob"])
    build_challenges(data, people["alice"])
    build_audits(data, people["mandy"])
    Population.objects.create(year=2019, population=16_000, source="ONS mid-2019 estimate")
    return data
