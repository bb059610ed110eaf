from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        """Register the recommendation reminder, log every view of an audit and keep the
        audit form's draft when the session ends."""
        from audits.reminders import register_all

        register_all()
        self._log_record_routes()
        self._keep_drafts_at_session_end()

    @staticmethod
    def _keep_drafts_at_session_end() -> None:
        """The audit form, posted (or autosaved by htmx) after the session ended, is kept
        and shown by the form after signing in again."""
        from audits.drafts import keep_audit_draft
        from iro_service.core.drafts import register_draft_keeper

        register_draft_keeper("audits:edit", keep_audit_draft)
        register_draft_keeper("audits:draft", keep_audit_draft, restore_at="audits:edit")

    @staticmethod
    def _log_record_routes() -> None:
        """Every view of an audit is written to the access log (SECURITY.md T2)."""
        from audits.models import Audit
        from iro_service.core.access_log import register_route

        def children_of(record_id: str) -> list[int]:
            return list(Audit.objects.filter(pk=record_id).values_list("child_id", flat=True))

        for name in [
            "audits:detail",
            "audits:edit",
            "audits:draft",
            "audits:recommend",
            "audits:recommendation_done",
            "audit-detail",
        ]:
            register_route(name, record_type="audit", children_of=children_of)
        register_route(
            "audits:start_review",
            record_type="review",
            id_kwarg="review_pk",
            children_of=_review_children,
        )
        register_route(
            "audits:start_conference",
            record_type="conference",
            id_kwarg="conference_pk",
            children_of=_conference_children,
        )


def _review_children(record_id: str) -> list[int]:
    from reviews.models import Review

    return list(Review.objects.filter(pk=record_id).values_list("child_id", flat=True))


def _conference_children(record_id: str) -> list[int]:
    from conferences.models import Conference

    return list(Conference.objects.filter(pk=record_id).values_list("child_id", flat=True))
