"""Review pages: My reviews, the schedule queue, the decision tracker, the review page and
its forms. Views parse input, call one service or selector and render (POST-redirect-GET).
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.selectors import child_get_for_user
from iro_service.core.drafts import initial_from_draft, posted_data
from iro_service.core.errors import ApplicationError, NotPermitted
from people.models import Team
from people.roles import CHAIR_ROLES, Role
from people.selectors import users_with_roles
from reviews import documents, policies, selectors, services
from reviews import forms as review_forms
from reviews.models import SCHEDULE_7, Review, ReviewDraft

PAGE_SIZE = 50


def _form_error(form: forms.Form, error: ApplicationError) -> None:
    if isinstance(error, NotPermitted):
        raise PermissionDenied(error.message)
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _review(request: HttpRequest, pk: int) -> Review:
    return selectors.review_get_for_user(user=request.user, pk=pk)


def _action(
    request: HttpRequest,
    review: Review,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    *,
    title: str,
    button: str,
    done: str,
    allowed: bool,
    intro: str = "",
) -> HttpResponse:
    """A one-form action on a review: validate, call the service, redirect to the review."""
    if not allowed:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("reviews:detail", review.pk)
    context = {"review": review, "form": form, "title": title, "button": button, "intro": intro}
    return render(request, "reviews/action.html", context)


# Lists -------------------------------------------------------------------------------------


def my_reviews(request: HttpRequest) -> HttpResponse:
    """The IRO's work; business support start at the schedule queue, others at the list."""
    if not request.user.has_role(*CHAIR_ROLES):
        if request.user.has_role(Role.BUSINESS_SUPPORT):
            return redirect("reviews:schedule_queue")
        return redirect("reviews:list")
    mine = selectors.my_reviews(user=request.user)
    context = {"mine": mine, "today": timezone.localdate()}
    return render(request, "reviews/my_reviews.html", context)


def review_list(request: HttpRequest) -> HttpResponse:
    """All the reviews the user can see, with filters (managers' view of their IROs)."""
    iros = [(user.pk, str(user)) for user in users_with_roles(CHAIR_ROLES)]
    teams = list(Team.objects.filter(level=Team.Level.TEAM).values_list("pk", "name"))
    form = review_forms.ReviewFilterForm(request.GET or None, iros=iros, teams=teams)
    filters = form.cleaned_data if form.is_valid() else {}
    reviews = selectors.review_list_for_user(
        user=request.user,
        status=filters.get("status") or "",
        iro_id=filters.get("iro"),
        team_id=filters.get("team"),
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/list.html", {"form": form, "page_obj": page})


def schedule_queue(request: HttpRequest) -> HttpResponse:
    try:
        weeks = max(1, min(26, int(request.GET.get("weeks", "6"))))
    except ValueError:
        weeks = 6
    page_obj, rows = selectors.schedule_queue(
        user=request.user, weeks=weeks, page=request.GET.get("page")
    )
    context = {"page_obj": page_obj, "rows": rows, "weeks": weeks}
    return render(request, "reviews/schedule_queue.html", context)


def decision_tracker(request: HttpRequest) -> HttpResponse:
    decisions = list(selectors.decision_tracker(user=request.user))
    owned = list(selectors.decisions_owned_by(user=request.user))
    return render(
        request, "reviews/decision_tracker.html", {"decisions": decisions, "owned": owned}
    )


# The review page ---------------------------------------------------------------------------


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    user = request.user
    schedule7 = [(label, review.schedule7.get(key, {})) for key, label in SCHEDULE_7]
    context = {
        "review": review,
        "decisions": review.decisions.select_related("owner"),
        "invitations": review.invitations.all(),
        "contacts": review.contacts.all(),
        "consultations": review.consultations.all(),
        "amendments": review.amendments.select_related("by"),
        "schedule7": schedule7,
        "deadlines": _record_deadlines(review),
        "earlier_bookings": _earlier_bookings(review),
        "can_edit": policies.can_edit_content(user, review),
        "can_amend": policies.can_amend(user, review),
        "can_schedule": policies.can_schedule(user, review),
        "can_circulate": policies.can_circulate(user, review),
        "can_chair": policies.can_chair_actions(user, review),
        "is_iro": policies.is_allocated_iro(user, review),
        "user_id": user.pk,
    }
    return render(request, "reviews/detail.html", context)


def _earlier_bookings(review: Review) -> list[Any]:
    """Dates the review was booked for before it was rebooked (from its history)."""
    dates = review.history.exclude(scheduled_date=None).values_list("scheduled_date", flat=True)
    return sorted(set(dates) - {review.scheduled_date})


def _record_deadlines(review: Review) -> list[Any]:
    """The review's own deadline and CLA-13/CLA-14, judged by ``timescales.rules.assess``."""
    from children.deadlines import DeadlineContext
    from timescales.services import rule_books, working_calendar

    context = DeadlineContext(
        today=timezone.localdate(), calendar=working_calendar(), books=rule_books()
    )
    rows = [
        context.row(
            review.sequence_rule, review.clock_start, review.original_due_date, review.held_date
        )
    ]
    if review.held_date:
        rows.append(
            context.row(
                "CLA-13", review.held_date, review.decisions_due, review.decisions_circulated_on
            )
        )
        rows.append(
            context.row("CLA-14", review.held_date, review.record_due, review.record_completed_on)
        )
    return rows


# Business support --------------------------------------------------------------------------


def review_book(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if not policies.can_schedule(request.user, review):
        raise PermissionDenied
    initial = {
        "scheduled_date": review.scheduled_date,
        "scheduled_time": review.scheduled_time,
        "venue": review.venue,
        "online": review.online,
        "late_reason": review.late_reason,
        "late_reason_text": review.late_reason_text,
    }
    form = review_forms.BookingForm(request.POST or None, initial=initial)
    show_clash = request.method == "POST" and "confirm_clash" in request.POST
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_schedule(
                review=review,
                on=data["scheduled_date"],
                at=data["scheduled_time"],
                venue=data["venue"],
                online=data["online"],
                late_reason=data["late_reason"],
                late_reason_text=data["late_reason_text"],
                confirm_clash=data["confirm_clash"],
                by=request.user,
            )
        except services.ClashWarning as warning:
            show_clash = True
            _form_error(form, warning)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Review booked")
            return redirect("reviews:invitations", review.pk)
    context = {"review": review, "form": form, "show_clash": show_clash}
    return render(request, "reviews/book.html", context)


def review_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    can_invite = policies.can_schedule(request.user, review)
    form = review_forms.InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invitation_add(review=review, by=request.user, **form.cleaned_data)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, f"{form.cleaned_data['name']} added to the invitations")
                return redirect("reviews:invitations", review.pk)
    context = {
        "review": review,
        "form": form,
        "invitations": review.invitations.all(),
        "can_invite": can_invite and review.is_open,
        "can_print": can_invite,
    }
    return render(request, "reviews/invitations.html", context)


@require_POST
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    try:
        sent = services.invitations_send(review=review, by=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{sent} invitation{'s' if sent != 1 else ''} sent")
    return redirect("reviews:invitations", review.pk)


# The record --------------------------------------------------------------------------------


def _record_form(
    request: HttpRequest, review: Review, form_class: type[review_forms.RecordForm]
) -> review_forms.RecordForm:
    second = review.sequence_rule == "CLA-2"
    if request.method == "POST":
        return form_class(request.POST, second_review=second)
    form = form_class(second_review=second, initial=review_forms.RecordForm.initial_from(review))
    draft = ReviewDraft.objects.filter(review=review, author=request.user).first()
    if draft is not None:
        form.initial.update(initial_from_draft(form, draft.data))
        form.initial["version"] = draft.based_on_version
        form.draft = draft  # type: ignore[attr-defined]
    return form


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record form. The draft is saved on every submit (and by htmx as the IRO types),
    so a refused save (a rule, or someone else's newer save) never loses text."""
    review = _review(request, pk)
    if not policies.can_edit_content(request.user, review):
        raise PermissionDenied
    if review.status not in ("due", "scheduled", "held"):
        raise PermissionDenied
    form = _record_form(request, review, review_forms.RecordForm)
    conflict = False
    if request.method == "POST":
        services.review_draft_save(
            review=review,
            data=posted_data(request),
            version=_posted_version(request),
            by=request.user,
        )
        if form.is_valid():
            try:
                services.review_record(
                    review=review,
                    values=form.values(),
                    version=form.cleaned_data.get("version"),
                    by=request.user,
                )
            except services.EditConflict as error:
                conflict = True
                _form_error(form, error)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, "Review record saved")
                return redirect("reviews:detail", review.pk)
    context = {
        "review": review,
        "form": form,
        "conflict": conflict,
        "title": "Record the review" if review.is_open else "Edit the review record",
        "draft": getattr(form, "draft", None),
    }
    return render(request, "reviews/record.html", context)


def review_amend(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if not policies.can_amend(request.user, review):
        raise PermissionDenied
    form = _record_form(request, review, review_forms.AmendForm)
    conflict = False
    if request.method == "POST":
        services.review_draft_save(
            review=review,
            data=posted_data(request),
            version=_posted_version(request),
            by=request.user,
        )
        if form.is_valid():
            try:
                services.review_amend(
                    review=review,
                    values=form.values(),
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data.get("version"),
                    by=request.user,
                )
            except services.EditConflict as error:
                conflict = True
                _form_error(form, error)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, "Review record amended")
                return redirect("reviews:detail", review.pk)
    context = {
        "review": review,
        "form": form,
        "conflict": conflict,
        "title": "Amend the completed record",
        "amend": True,
        "draft": getattr(form, "draft", None),
    }
    return render(request, "reviews/record.html", context)


@require_POST
def review_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: keep what the IRO has typed. Answers a short status line."""
    review = _review(request, pk)
    try:
        draft = services.review_draft_save(
            review=review,
            data=posted_data(request),
            version=_posted_version(request),
            by=request.user,
        )
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    saved = timezone.localtime(draft.saved_at)
    return HttpResponse(f"Draft saved at {saved:%H:%M:%S}")


# Actions -----------------------------------------------------------------------------------


def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    owners = users_with_roles([Role.SOCIAL_WORKER, Role.TEAM_MANAGER, *CHAIR_ROLES])
    form = review_forms.DecisionForm(request.POST or None, owners=owners)

    def call(data: dict[str, Any]) -> object:
        return services.decision_add(review=review, by=request.user, **data)

    return _action(
        request,
        review,
        form,
        call,
        title="Add a decision",
        button="Add decision",
        done="Decision added",
        allowed=policies.can_edit_content(request.user, review),
    )


def decision_update(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    review = _review(request, pk)
    decision = selectors.decision_get_for_user(user=request.user, review=review, pk=decision_pk)
    form = review_forms.DecisionStatusForm(
        request.POST or None, initial={"status": decision.status, "note": decision.status_note}
    )

    def call(data: dict[str, Any]) -> object:
        return services.decision_update(decision=decision, by=request.user, **data)

    return _action(
        request,
        review,
        form,
        call,
        title="Update a decision",
        button="Save",
        done="Decision updated",
        allowed=policies.can_update_decision(request.user, decision),
        intro=decision.text,
    )


def review_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.DateForm(
        request.POST or None,
        label="Date the decisions were sent",
        initial={"on": timezone.localdate()},
    )
    return _action(
        request,
        review,
        form,
        lambda data: services.review_circulate(review=review, on=data["on"], by=request.user),
        title="Circulate the decisions",
        button="Record as circulated",
        done="Decisions circulated",
        allowed=policies.can_circulate(request.user, review),
    )


def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.DateForm(
        request.POST or None,
        label="Date the record was completed",
        initial={"on": timezone.localdate()},
    )
    return _action(
        request,
        review,
        form,
        lambda data: services.review_complete(review=review, on=data["on"], by=request.user),
        title="Complete the record",
        button="Complete the record",
        done="Record completed",
        allowed=policies.can_chair_actions(request.user, review),
        intro="Once completed, the record can only be changed by an amendment.",
    )


def review_adjourn(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.ReasonForm(request.POST or None)
    return _action(
        request,
        review,
        form,
        lambda data: services.review_adjourn(review=review, reason=data["reason"], by=request.user),
        title="Adjourn the review",
        button="Adjourn",
        done="Review adjourned",
        allowed=policies.can_chair_actions(request.user, review),
        intro="An adjourned review does not count as held: a new review will be due by the "
        "same date.",
    )


def review_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.ReasonForm(request.POST or None)
    return _action(
        request,
        review,
        form,
        lambda data: services.review_cancel(review=review, reason=data["reason"], by=request.user),
        title="Cancel the review",
        button="Cancel the review",
        done="Review cancelled",
        allowed=policies.can_chair_actions(request.user, review),
        intro="A cancelled review does not count as held: a new review will be due by the "
        "same date.",
    )


def review_extra(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.ExtraReviewForm(request.POST or None)

    def call(data: dict[str, Any]) -> object:
        return services.review_request_extra(review=review, by=request.user, **data)

    return _action(
        request,
        review,
        form,
        call,
        title="Ask for an early or extra review",
        button="Bring the review forward",
        done="Early or extra review requested",
        allowed=policies.can_chair_actions(request.user, review),
        intro="The next review becomes the early or extra review. Once held, the next one is "
        "due from it.",
    )


def review_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.PreparationForm(
        request.POST or None,
        initial={
            "sw_report_received_on": review.sw_report_received_on,
            "child_prepared": review_forms.yes_no_initial(review.child_prepared),
        },
    )

    def call(data: dict[str, Any]) -> object:
        return services.review_preparation_update(
            review=review,
            sw_report_received_on=data["sw_report_received_on"],
            child_prepared=review_forms.yes_no(data["child_prepared"]),
            by=request.user,
        )

    return _action(
        request,
        review,
        form,
        call,
        title="Preparation for the review",
        button="Save",
        done="Preparation saved",
        allowed=policies.can_edit_content(request.user, review),
    )


def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.ContactForm(request.POST or None)
    return _action(
        request,
        review,
        form,
        lambda data: services.contact_record(review=review, by=request.user, **data),
        title="Record contact with the child",
        button="Save",
        done="Contact recorded",
        allowed=policies.can_edit_content(request.user, review),
    )


def consultation_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = review_forms.ConsultationForm(request.POST or None)
    return _action(
        request,
        review,
        form,
        lambda data: services.consultation_record(review=review, by=request.user, **data),
        title="Record a consultation document",
        button="Save",
        done="Consultation recorded",
        allowed=policies.can_edit_content(request.user, review)
        or policies.can_schedule(request.user, review),
    )


def footprint_add(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = child_get_for_user(user=request.user, pk=child_pk)
    if not policies.is_allocated_iro(request.user, Review(child=child)):
        raise PermissionDenied
    form = review_forms.FootprintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.footprint_add(child=child, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Note added")
            return redirect("children:detail", child.pk)
    return render(request, "reviews/footprint.html", {"child": child, "form": form})


# Documents ---------------------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def invitation_letter(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """A printable invitation letter for one invitee (business support)."""
    review = _review(request, pk)
    if not policies.can_schedule(request.user, review):
        raise PermissionDenied
    invitation = review.invitations.filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    invitation.review = review
    html = documents.invitation_letter_html(invitation, by=request.user)
    return _pdf(documents.to_pdf(html), f"invitation-{review.reference}-{invitation.pk}.pdf")


def decisions_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's decisions for circulation."""
    review = _review(request, pk)
    if not policies.can_circulate(request.user, review) or review.status != "held":
        raise PermissionDenied
    html = documents.decisions_html(review, by=request.user)
    return _pdf(documents.to_pdf(html), f"decisions-{review.reference}.pdf")
