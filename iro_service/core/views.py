"""The home page: each role is sent to its work."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from people.roles import Role

ROLE_INTRODUCTIONS = {
    Role.IRO: "Your caseload, the reviews and conferences you chair, and every deadline.",
    Role.SENIOR_IRO: "Your caseload and the IROs you support.",
    Role.IRO_MANAGER: "Caseloads, timeliness and escalations across the IRO service.",
    Role.BUSINESS_SUPPORT: "Reviews and conferences to schedule, invitations and records to send.",
    Role.SOCIAL_WORKER: "The children of your team and the decisions you own.",
    Role.TEAM_MANAGER: "Your team's children and the challenges for you to answer.",
    Role.HEAD_OF_SERVICE: "The children of your service and escalations for you.",
    Role.DIRECTOR: "The children of the directorate and escalations for you.",
    Role.PERFORMANCE: "Figures and national returns.",
    Role.IG_OFFICER: "Access logs and information requests.",
    Role.SYSTEM_ADMIN: "Staff accounts, teams and bank holidays.",
}


def home(request: HttpRequest) -> HttpResponse:
    roles = [role for role in Role if role in request.user.roles]
    introductions = [(role.value, ROLE_INTRODUCTIONS[role]) for role in roles]
    return render(request, "core/home.html", {"introductions": introductions})
