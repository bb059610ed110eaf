"""Children's pages: the list with search and filters, and the child page."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from children.deadlines import child_deadlines
from children.forms import ChildSearchForm
from children.models import Child
from children.selectors import child_get_for_user, child_list_for_user, child_timeline
from iro_service.core.models import AccessLogEntry
from people.models import Team
from people.roles import CHAIR_ROLES, Role
from people.selectors import users_with_roles

PAGE_SIZE = 50


def child_list(request: HttpRequest) -> HttpResponse:
    iros = [(user.pk, str(user)) for user in users_with_roles(CHAIR_ROLES)]
    teams = list(Team.objects.filter(level=Team.Level.TEAM).values_list("pk", "name"))
    form = ChildSearchForm(request.GET or None, iros=iros, teams=teams)
    filters = form.cleaned_data if form.is_valid() else {}
    children = child_list_for_user(
        user=request.user,
        query=filters.get("q") or "",
        status=filters.get("status") or "",
        iro_id=filters.get("iro"),
        team_id=filters.get("team"),
    )
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "children/list.html", {"form": form, "page_obj": page})


def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = child_get_for_user(user=request.user, pk=pk)
    context = {
        "child": child,
        "allocations": child.allocations.select_related("user", "team").order_by(
            "kind", "-start_date"
        ),
        "periods": child.periods_of_care.prefetch_related("episodes").order_by("-start_date"),
        "s47_enquiries": child.s47_enquiries.order_by("-start_date"),
        "cp_plans": child.cp_plans.order_by("-start_date"),
        "timeline": child_timeline(child=child),
        "deadlines": child_deadlines(child=child, today=timezone.localdate()),
    }
    return render(request, "children/detail.html", context)


ACCESS_LOG_READERS = (Role.IRO_MANAGER, Role.IG_OFFICER)


def child_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who viewed this child: for the IRO service manager (a child they can see) and the
    information governance officer (any child, shown by its ID, without case content)."""
    user = request.user
    if not user.has_role(*ACCESS_LOG_READERS):
        raise PermissionDenied
    if user.has_role(Role.IG_OFFICER):
        child = get_object_or_404(Child.objects.only("pk", "la_child_id"), pk=pk)
    else:
        child = child_get_for_user(user=user, pk=pk)
    entries = AccessLogEntry.objects.filter(child_id=child.pk).select_related("user")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "children/access_log.html", {"child": child, "page_obj": page})
