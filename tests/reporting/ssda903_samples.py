"""The SSDA903 example of DATA-FORMATS.md 1.10 (synthetic, collection year 2024-25), and the
helpers the round-trip tests use: a snapshot of what a 903 carries, and export-then-import
into an emptied database."""

from children.models import Allocation, Child, ChildEvent, Episode, PeriodOfCare
from people.models import User
from reporting.exports.ssda903 import ssda903_files
from reporting.imports.base import Summary
from reporting.imports.ssda903 import import_ssda903
from reviews import workflow
from reviews.models import Review

YEAR = 2024

HEADER = (
    "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
    "FAKE001,F,14/06/2012,WBRI,J999000012001,0,\r\n"
    "FAKE002,M,02/09/2016,MWBC,R999000016002,,\r\n"
    "FAKE003,F,23/01/2008,AOTH,T999000008003,0,\r\n"
)
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
    "FAKE001,05/02/2024,S,C1,N1,U6,PR1,15/07/2024,X1,CARPL,ZZ1 1AA,ZZ2 2BB,9990001\r\n"
    "FAKE001,15/07/2024,P,C1,N1,U4,PR1,20/11/2024,X1,,ZZ1 1AA,ZZ3 3CC,9990001\r\n"
    "FAKE001,20/11/2024,L,C2,N1,U4,PR1,,,,ZZ1 1AA,ZZ3 3CC,9990001\r\n"
    "FAKE002,10/05/2024,S,V2,N4,U6,PR4,28/10/2024,E4A,,ZZ4 4DD,ZZ5 5EE,9990002\r\n"
    "FAKE003,06/01/2025,S,V2,N8,K2,PR4,,,,ZZ6 6FF,ZZ7 7GG,9990003\r\n"
)
REVIEWS = (
    "CHILD,DOB,REVIEW,REVIEW_CODE\r\n"
    "FAKE001,14/06/2012,23/05/2024,PN1\r\n"
    "FAKE001,14/06/2012,14/11/2024,PN1\r\n"
    "FAKE002,02/09/2016,04/06/2024,PN6\r\n"
    "FAKE003,23/01/2008,30/01/2025,PN1\r\n"
)


def files(header: str = HEADER, episodes: str = EPISODES, reviews: str = REVIEWS) -> dict:
    """The example as uploaded files; names deliberately not the tables' (recognised by
    their columns)."""
    return {"a.csv": header.encode(), "b.csv": episodes.encode(), "c.csv": reviews.encode()}


def snapshot() -> dict[str, set[tuple]]:
    """What a 903 return carries, as comparable sets (no database ids, no source flag)."""
    return {
        "children": set(
            Child.objects.values_list("la_child_id", "sex", "date_of_birth", "ethnicity", "upn")
        ),
        "periods": set(
            PeriodOfCare.objects.values_list("child__la_child_id", "start_date", "end_date")
        ),
        "episodes": set(
            Episode.objects.values_list(
                "period__child__la_child_id",
                "period__start_date",
                "decom",
                "rne",
                "ls",
                "cin",
                "place",
                "place_provider",
                "dec",
                "rec",
                "reason_place_change",
                "home_post",
                "pl_post",
                "urn",
            )
        ),
        "reviews": set(
            Review.objects.filter(status=workflow.HELD).values_list(
                "child__la_child_id",
                "period__start_date",
                "held_date",
                "participation_code",
                "sequence_rule",
                "clock_start",
                "original_due_date",
            )
        ),
    }


def wipe_case_data() -> None:
    """Empty the records a 903 covers (and what hangs off them in a 903-built dataset)."""
    Review.objects.all().delete()
    Episode.objects.all().delete()
    PeriodOfCare.objects.all().delete()
    ChildEvent.objects.all().delete()
    Allocation.objects.all().delete()
    Child.allowed_users.through.objects.all().delete()
    Child.objects.all().delete()


def export_and_reimport(*, year: int, user: User) -> Summary:
    """Export the year's 903 as ``user`` sees it, empty the database, import the files.
    Compare ``snapshot()`` (or the annual metrics) before and after."""
    exported = ssda903_files(year, user)
    wipe_case_data()
    return import_ssda903(exported, year=year, by=user)
