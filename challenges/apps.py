from django.apps import AppConfig
from django.db.models import Q


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = "Issues Resolution Process"

    def ready(self) -> None:
        """Tell the clock which due dates this app stores (DR-1/DR-2 per open stage, DR-3
        per open formal challenge) so a new bank holiday or local rule value moves them."""
        from challenges import workflow
        from challenges.deadlines import stage_due_compute
        from challenges.models import Challenge, ChallengeStage, Clinic
        from iro_service.core.access_log import register_route
        from timescales.registry import DueDateSource, register

        register(
            DueDateSource(
                model=ChallengeStage,
                start_field="raised_on",
                due_field="response_due",
                rule_field="response_rule",
                compute=stage_due_compute,
                child_field="challenge__children",
                open_rows=Q(responded_on__isnull=True, ended_on__isnull=True)
                & ~Q(response_rule=""),
            )
        )
        register(
            DueDateSource(
                model=Challenge,
                start_field="formal_start",
                due_field="formal_due",
                rule_id="DR-3",
                child_field="children",
                open_rows=Q(status__in=workflow.OPEN_STATUSES, formal_start__isnull=False),
            )
        )

        def children_of(record_id: str) -> list[int]:
            through = Challenge.children.through.objects.filter(challenge_id=record_id)
            return list(through.values_list("child_id", flat=True))

        for url_name in ("challenges:detail", "challenge-detail"):
            register_route(url_name, record_type="challenge", children_of=children_of)

        def children_of_clinic(record_id: str) -> list[int]:
            through = Clinic.children.through.objects.filter(clinic_id=record_id)
            return list(through.values_list("child_id", flat=True))

        for url_name in ("challenges:clinic", "challenge-clinic-detail"):
            register_route(url_name, record_type="clinic", children_of=children_of_clinic)

        from challenges.reminders import register_all

        register_all()
