from django.apps import AppConfig
from django.db.models import Q


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = "Children's records"

    def ready(self) -> None:
        """Tell the clock which due dates this app stores, so a new bank holiday or local
        rule value moves them."""
        from children.deadlines import (
            care_clock_deadlines,
            children_record_deadlines,
            open_pep_clock,
            register_provider,
            visit_deadlines,
        )
        from children.models import PeriodOfCare, S47Enquiry
        from iro_service.core.access_log import register_route
        from timescales.registry import DueDateSource, register

        register(
            DueDateSource(
                model=PeriodOfCare,
                start_field="start_date",
                due_field="iro_allocation_due",
                rule_id="CLA-11",
                open_rows=Q(end_date__isnull=True, iro_allocated_on__isnull=True),
            )
        )
        register(
            DueDateSource(
                model=S47Enquiry,
                start_field="icpc_clock_start",
                due_field="icpc_due",
                rule_id="CP-1",
                open_rows=Q(icpc_date__isnull=True, icpc_not_required=False),
            )
        )
        # H-1/H-2: the next assessment of an open period of care.
        register(
            DueDateSource(
                model=PeriodOfCare,
                start_field="health_assessment_clock_start",
                due_field="health_assessment_due",
                rule_field="health_assessment_rule",
                open_rows=Q(end_date__isnull=True, health_assessment_due__isnull=False),
            )
        )
        # E-1: the next PEP; the first one's start follows the starting age (E-1-FROM-AGE).
        register(
            DueDateSource(
                model=PeriodOfCare,
                start_field="pep_clock_start",
                due_field="pep_due",
                rule_field="pep_rule",
                open_rows=Q(end_date__isnull=True, pep_due__isnull=False),
                deadline=open_pep_clock,
                related=("child",),
            )
        )
        register_provider(children_record_deadlines)
        register_provider(care_clock_deadlines)
        for url_name in (
            "children:detail",
            "child-detail",
            "child-deadlines",
            "children:health-assessment-add",
            "children:pep-add",
        ):
            register_route(url_name, record_type="child")
        register_provider(visit_deadlines)
