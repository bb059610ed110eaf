"""Children's pages: the list with search and filters, and the child page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from children import services
from children.deadlines import child_deadlines
from children.forms import ChildSearchForm, RestrictionForm
from children.models import Child
from children.policies import can_restrict
from children.selectors import child_get_for_user, child_list_for_user, child_timeline
from iro_service.core.models import AccessLogEntry
from people.models import Team
from people.roles import CASE_ROLES, CHAIR_ROLES, Role
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
        "can_restrict": can_restrict(request.user),
        "can_read_access_log": request.user.has_role(*ACCESS_LOG_READERS),
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


def child_restriction(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO service manager restricts a child to named people, or lifts it."""
    child = child_get_for_user(user=request.user, pk=pk)
    if not can_restrict(request.user):
        raise PermissionDenied
    staff = users_with_roles(CASE_ROLES)
    initial = {"restricted": child.restricted, "allowed": list(child.allowed_users.all())}
    # An unticked form posts nothing at all, so test the method rather than the data.
    data = request.POST if request.method == "POST" else None
    form = RestrictionForm(data, initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        services.child_set_restriction(
            child=child,
            restricted=form.cleaned_data["restricted"],
            allowed=form.cleaned_data["allowed"],
            by=request.user,
        )
        messages.success(request, "Who can see this record has been updated.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/restriction.html", {"child": child, "form": form})
