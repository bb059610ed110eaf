"""Helpers shared by the conference pages."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from iro_service.core.errors import ApplicationError, NotPermitted
from people.models import User
from people.roles import CHAIR_ROLES, Role
from people.selectors import users_with_roles

PAGE_SIZE = 50


def attempt(form: forms.Form, call: Callable[[], Any]) -> Any:
    """Run a service; a refusal becomes a form error shown in the error summary."""
    try:
        return call()
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None


def chair_users() -> list[User]:
    return list(users_with_roles(CHAIR_ROLES))


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its conference work."""
    user = request.user
    if user.has_role(Role.BUSINESS_SUPPORT):
        return redirect("conferences:queue")
    if user.has_role(*CHAIR_ROLES):
        return redirect("conferences:mine")
    return redirect("conferences:plans")
