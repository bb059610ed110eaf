from django.apps import AppConfig
from django.db.models import Q


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Children in care reviews"

    def ready(self) -> None:
        """Register the stored due dates of open reviews with the clock, and the child's
        review deadlines with the child page."""
        from children.deadlines import register_provider
        from children.services import register_care_change_hook
        from reviews import workflow
        from reviews.deadlines import review_deadlines
        from reviews.models import Review
        from reviews.services import review_follow_care
        from timescales.registry import DueDateSource, register

        register_care_change_hook(review_follow_care)

        open_statutory = Q(status__in=workflow.OPEN_STATUSES, kind=Review.Kind.STATUTORY)
        # CLA-1/2/3: the next review. An early or extra review keeps the date the IRO set.
        register(
            DueDateSource(
                model=Review,
                start_field="clock_start",
                due_field="due_date",
                rule_field="sequence_rule",
                open_rows=open_statutory,
            )
        )
        # The statutory date lateness is judged against: never moved by rescheduling or an
        # early review, but corrected with the calendar while the review is still to come.
        register(
            DueDateSource(
                model=Review,
                start_field="clock_start",
                due_field="original_due_date",
                rule_field="sequence_rule",
                open_rows=Q(status__in=workflow.OPEN_STATUSES),
            )
        )
        register(
            DueDateSource(
                model=Review,
                start_field="held_date",
                due_field="decisions_due",
                rule_id="CLA-13",
                open_rows=Q(status=workflow.HELD, decisions_circulated_on__isnull=True),
            )
        )
        register(
            DueDateSource(
                model=Review,
                start_field="held_date",
                due_field="record_due",
                rule_id="CLA-14",
                open_rows=Q(status=workflow.HELD, record_completed_on__isnull=True),
            )
        )
        register_provider(review_deadlines)

        from reviews.reminders import register_all

        register_all()
        self._log_record_routes()
        self._keep_drafts_at_session_end()

    @staticmethod
    def _keep_drafts_at_session_end() -> None:
        from iro_service.core.drafts import register_draft_keeper
        from reviews.drafts import keep_record_draft

        # The htmx autosave's draft is shown by the record form.
        forms = {"reviews:record": "", "reviews:amend": "", "reviews:draft": "reviews:record"}
        for name, restore_at in forms.items():
            register_draft_keeper(name, keep_record_draft, restore_at=restore_at)

    @staticmethod
    def _log_record_routes() -> None:
        """Every view of a review is written to the access log (SECURITY.md T2)."""
        from iro_service.core.access_log import register_route
        from reviews.models import Review

        def children_of(record_id: str) -> list[int]:
            return list(Review.objects.filter(pk=record_id).values_list("child_id", flat=True))

        for name in [
            "reviews:detail",
            "reviews:record",
            "reviews:amend",
            "reviews:invitations",
            "reviews:invitation_letter",
            "reviews:decisions_pdf",
            "review-detail",
            "review-decisions",
        ]:
            register_route(name, record_type="review", children_of=children_of)
        register_route("reviews:footprint_add", record_type="child", id_kwarg="child_pk")
