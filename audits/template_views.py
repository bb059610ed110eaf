"""The template editor (administrators and IRO managers): templates, their versions and
questions. A published version is read-only; editing happens on the draft version, and
publishing it makes a new version (issue 7 "Templates")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audits import policies
from audits import template_services as services
from audits.forms import PublishForm, QuestionForm, TemplateSettingsForm
from audits.models import AuditQuestion, AuditTemplate, AuditTemplateVersion
from audits.views import _form_error
from iro_service.core.errors import ApplicationError, NotPermitted


def _require_editor(request: HttpRequest) -> None:
    if not policies.can_edit_templates(request.user):
        raise PermissionDenied


def _to_version(pk: int, number: int) -> HttpResponse:
    return redirect(f"{reverse('audits:template_detail', args=[pk])}?version={number}")


def _template(pk: int) -> AuditTemplate:
    template = AuditTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("No such template")
    return template


def _version(template: AuditTemplate, number: int) -> AuditTemplateVersion:
    version = template.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    return version


def template_list(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    templates = AuditTemplate.objects.prefetch_related("versions").order_by("kind", "name")
    return render(request, "audits/templates/list.html", {"templates": templates})


def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    template = _template(pk)
    versions = list(template.versions.order_by("-number"))
    number = request.GET.get("version")
    shown = next(
        (v for v in versions if str(v.number) == number), versions[0] if versions else None
    )
    context = {
        "template": template,
        "versions": versions,
        "shown": shown,
        "questions": shown.questions.all() if shown else [],
        "draft": next((v for v in versions if not v.is_published), None),
    }
    return render(request, "audits/templates/detail.html", context)


def template_settings(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    template = _template(pk)
    form = TemplateSettingsForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_settings_update(
                template=_template(pk),
                name=data["name"],
                expect=data["expect"],
                sample_percent=data["sample_percent"],
                expect_rule=data["expect_rule"],
                active=data["active"],
                by=request.user,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("audits:template_detail", pk)
    return render(request, "audits/templates/settings.html", {"template": template, "form": form})


@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(pk)
    try:
        draft = services.version_draft_start(template=template, by=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    return _to_version(pk, draft.number)


def question_edit(
    request: HttpRequest, pk: int, number: int, question_pk: int | None = None
) -> HttpResponse:
    _require_editor(request)
    template = _template(pk)
    version = _version(template, number)
    question = None
    if question_pk is not None:
        question = AuditQuestion.objects.filter(pk=question_pk, version=version).first()
        if question is None:
            raise Http404("No such question")
    if version.is_published:
        raise PermissionDenied("A published version cannot change.")
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                version=version, question=question, by=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Question saved.")
            return _to_version(pk, number)
    context = {"template": template, "version": version, "question": question, "form": form}
    return render(request, "audits/templates/question.html", context)


@require_POST
def question_remove(request: HttpRequest, pk: int, number: int, question_pk: int) -> HttpResponse:
    template = _template(pk)
    version = _version(template, number)
    question = AuditQuestion.objects.filter(pk=question_pk, version=version).first()
    if question is None:
        raise Http404("No such question")
    try:
        services.question_remove(question=question, by=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    return _to_version(pk, number)


def version_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    _require_editor(request)
    template = _template(pk)
    version = _version(template, number)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_publish(
                version=version, notes=form.cleaned_data["notes"], by=request.user
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Version {version.number} published.")
            return redirect("audits:template_detail", pk)
    context = {"template": template, "version": version, "form": form}
    return render(request, "audits/templates/publish.html", context)
