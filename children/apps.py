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
        for prefix in ("health_assessment", "pep"):
            # H-1/H-2 and E-1: the next assessment or PEP of an open period of care.
            register(
                DueDateSource(
                    model=PeriodOfCare,
                    start_field=f"{prefix}_clock_start",
                    due_field=f"{prefix}_due",
                    rule_field=f"{prefix}_rule",
                    open_rows=Q(end_date__isnull=True, **{f"{prefix}_due__isnull": False}),
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
