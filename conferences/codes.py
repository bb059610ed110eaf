"""Code lists of the conferences app (DOMAIN.md section 5)."""

from types import MappingProxyType

# Agencies invited to a conference and counted for quoracy. Family members are invited but
# are not an agency (they never make a conference quorate).
AGENCY = MappingProxyType(
    {
        "social_care": "Children's social care",
        "police": "Police",
        "health": "Health",
        "education": "Education",
        "probation": "Probation",
        "family": "Family member",
        "other": "Other agency",
    }
)
NON_AGENCY = frozenset({"family"})

# Why a conference was booked after its due date (CP-1, CP-6, CP-7, CP-8, CP-9).
LATE_REASON = MappingProxyType(
    {
        "chair_unavailable": "No chair available in time",
        "agency_unavailable": "Key agency not available in time",
        "family_request": "Family asked for a later date",
        "late_request": "Conference requested late",
        "reports_not_ready": "Reports not ready in time",
        "interpreter": "Interpreter or advocate not available in time",
        "other": "Other reason",
    }
)

ATTENDANCE = MappingProxyType(
    {
        "attended": "Attended",
        "apologies": "Sent apologies",
        "absent": "Did not attend",
    }
)

# How the child took part in the conference.
CHILD_PARTICIPATION = MappingProxyType(
    {
        "attended_spoke": "Attended and spoke for themselves",
        "attended_advocate": "Attended; an advocate spoke for them",
        "views_advocate": "Did not attend; an advocate gave their views",
        "views_written": "Did not attend; views given in writing or recorded",
        "views_not_conveyed": "Did not attend; views not conveyed",
        "too_young": "Too young to take part",
    }
)

PARENT_PARTICIPATION = MappingProxyType(
    {
        "attended": "Attended all of the conference",
        "attended_part": "Attended part of the conference",
        "views_only": "Did not attend; views given",
        "did_not_take_part": "Did not take part",
    }
)


def choices(codes: "MappingProxyType[str, str]") -> list[tuple[str, str]]:
    return list(codes.items())
