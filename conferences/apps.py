from django.apps import AppConfig
from django.db.models import Q


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Child protection conferences"

    def ready(self) -> None:
        """Register the stored due dates of open items with the clock, and the child's
        conference deadlines with the child page."""
        from children.deadlines import register_provider
        from conferences.deadlines import conference_deadlines, open_conference_clock
        from conferences.models import AgencyReport, Conference
        from timescales.registry import DueDateSource, register

        register(
            DueDateSource(
                model=Conference,
                start_field="clock_start",
                due_field="original_due_date",
                rule_field="rule_id",
                # A pre-birth plan's first review conference moves with the birth (CP-8).
                deadline=open_conference_clock,
                related=("cp_plan__child",),
                open_rows=Q(status__in=["requested", "scheduled"]),
            )
        )
        register(
            DueDateSource(
                model=Conference,
                start_field="held_on",
                due_field="outcome_due",
                rule_id="CP-OUTCOME",
                open_rows=Q(status="held", outcome_sent_on__isnull=True),
            )
        )
        register(
            DueDateSource(
                model=Conference,
                start_field="held_on",
                due_field="minutes_due",
                rule_id="CP-MINUTES",
                open_rows=Q(status="held", minutes_completed_on__isnull=True),
            )
        )
        register(
            DueDateSource(
                model=AgencyReport,
                start_field="conference_date",
                due_field="due_date",
                rule_field="rule_id",
                child_field="conference__child",
                open_rows=Q(received_on__isnull=True, conference__status="scheduled"),
            )
        )
        register_provider(conference_deadlines)
        _log_record_routes()
        _keep_drafts_at_session_end()

        from conferences.reminders import register_all

        register_all()


def _keep_drafts_at_session_end() -> None:
    """The chair's record and the amend form of a held record, posted (or autosaved by
    htmx) after the session ended, are kept and shown by their form after signing in again."""
    from conferences.drafts import AMENDMENT, RECORD
    from iro_service.core.drafts import register_draft_keeper

    for form, draft_form in (("record", RECORD), ("amend", AMENDMENT)):
        page = f"conferences:{form}"
        register_draft_keeper(page, draft_form.keeper())
        register_draft_keeper(f"{page}_draft", draft_form.keeper(), restore_at=page)


def _log_record_routes() -> None:
    """Every view of a conference, its record, letters and minutes is written to the access
    log (SECURITY.md T2)."""
    from conferences.models import Conference
    from iro_service.core.access_log import register_route

    def children_of(record_id: str) -> list[int]:
        return list(Conference.objects.filter(pk=record_id).values_list("child_id", flat=True))

    for name in (
        "conferences:detail",
        "conferences:record",
        "conferences:amend",
        "conferences:outcome_pdf",
        "conferences:minutes_pdf",
        "conference-detail",
    ):
        register_route(name, record_type="conference", children_of=children_of)
