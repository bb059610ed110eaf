"""Synthetic staff and the team tree: a directorate, area services with heads of service,
social work teams (about 15 children per social worker, 6 social workers and a team manager
a team), IRO teams of 10 IROs with an IRO service manager each, business support (one per
5 IROs) and one performance analyst.

Everyone gets an unusable password: synthetic staff never sign in with one (the benchmark
creates its sessions directly).
"""

import math
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from people.models import Team, User
from people.roles import Role
from people.services import roles_sync
from reporting.synthetic.names import FIRST_NAMES, LAST_NAMES
from reporting.synthetic.writer import CopyWriter

CHILDREN_PER_SOCIAL_WORKER = 15
SOCIAL_WORKERS_PER_TEAM = 6
TEAMS_PER_AREA = 6
IROS_PER_TEAM = 10
IROS_PER_BUSINESS_SUPPORT = 5


@dataclass
class SocialWorkTeam:
    id: int
    manager_id: int
    head_id: int
    social_workers: list[int]


@dataclass
class Staff:
    """The ids the case generator allocates children to."""

    director_id: int = 0
    iros: list[int] = field(default_factory=list)
    iro_managers: list[int] = field(default_factory=list)
    business_support: list[int] = field(default_factory=list)
    teams: list[SocialWorkTeam] = field(default_factory=list)
    performance_id: int = 0


class _StaffBuilder:
    def __init__(self, writer: CopyWriter, rng: random.Random, tag: str) -> None:
        self.writer, self.rng, self.tag = writer, rng, tag
        self.password = make_password(None)
        roles_sync()  # the role groups exist (idempotent)
        self.groups = dict(
            Group.objects.filter(name__in=[r.value for r in Role]).values_list("name", "id")
        )
        self.count = 0

    def team(self, name: str, level: str, parent_id: int | None, manager_id: int | None) -> int:
        row = {
            "id": self.writer.new_id(Team),
            "name": f"{name} ({self.tag})",
            "level": level,
            "parent_id": parent_id,
            "manager_id": manager_id,
        }
        return self.writer.add(Team, row)["id"]

    def user(self, role: Role, title: str, team_id: int | None) -> int:
        self.count += 1
        user_id = self.writer.new_id(User)
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        slug = role.value.lower().replace(" ", "-")
        self.writer.add(
            User,
            {
                "id": user_id,
                "password": self.password,
                "email": f"{slug}.{self.count}.{self.tag.lower()}@synthetic.invalid",
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "team_id": team_id,
                "is_active": True,
            },
        )
        self.writer.add(User.groups.through, {"user_id": user_id, "group_id": self.groups[role]})
        return user_id


def staff_generate(
    writer: CopyWriter, rng: random.Random, *, tag: str, open_children: int, iros: int
) -> Staff:
    """Teams and staff sized for ``open_children`` children and ``iros`` IROs.

    Team managers are written after their team (``Team.manager`` and ``User.team`` point at
    each other; the foreign keys are checked at commit)."""
    writer.declare(Team, User)
    writer.declare(User.groups.through, with_id=False)
    build = _StaffBuilder(writer, rng, tag)
    staff = Staff()
    root_id = writer.new_id(Team)
    staff.director_id = build.user(Role.DIRECTOR, "Director of children's services", root_id)
    writer.add(
        Team,
        {
            "id": root_id,
            "name": f"Children's Services ({tag})",
            "level": Team.Level.DIRECTORATE,
            "manager_id": staff.director_id,
        },
    )
    social_workers = max(1, math.ceil(open_children / CHILDREN_PER_SOCIAL_WORKER))
    team_count = max(1, math.ceil(social_workers / SOCIAL_WORKERS_PER_TEAM))
    for area in range(max(1, math.ceil(team_count / TEAMS_PER_AREA))):
        service_id = writer.new_id(Team)
        head_id = build.user(Role.HEAD_OF_SERVICE, "Head of service", service_id)
        writer.add(
            Team,
            {
                "id": service_id,
                "name": f"Area {area + 1} Children's Social Care ({tag})",
                "level": Team.Level.SERVICE,
                "parent_id": root_id,
                "manager_id": head_id,
            },
        )
        for index in range(TEAMS_PER_AREA):
            if len(staff.teams) == team_count:
                break
            team_id = writer.new_id(Team)
            manager_id = build.user(Role.TEAM_MANAGER, "Team manager", team_id)
            writer.add(
                Team,
                {
                    "id": team_id,
                    "name": f"Area {area + 1} Team {index + 1} ({tag})",
                    "level": Team.Level.TEAM,
                    "parent_id": service_id,
                    "manager_id": manager_id,
                },
            )
            workers = [
                build.user(Role.SOCIAL_WORKER, "Social worker", team_id)
                for _ in range(SOCIAL_WORKERS_PER_TEAM)
            ]
            staff.teams.append(SocialWorkTeam(team_id, manager_id, head_id, workers))
    quality_id = build.team("Quality Assurance Service", Team.Level.SERVICE, root_id, None)
    for index in range(max(1, math.ceil(iros / IROS_PER_TEAM))):
        team_id = writer.new_id(Team)
        manager_id = build.user(Role.IRO_MANAGER, "IRO service manager", team_id)
        writer.add(
            Team,
            {
                "id": team_id,
                "name": f"IRO Team {index + 1} ({tag})",
                "level": Team.Level.TEAM,
                "parent_id": quality_id,
                "manager_id": manager_id,
            },
        )
        staff.iro_managers.append(manager_id)
        in_team = min(IROS_PER_TEAM, iros - len(staff.iros))
        staff.iros.extend(
            build.user(Role.IRO, "Independent reviewing officer", team_id) for _ in range(in_team)
        )
        staff.business_support.extend(
            build.user(Role.BUSINESS_SUPPORT, "Business support officer", team_id)
            for _ in range(max(1, math.ceil(in_team / IROS_PER_BUSINESS_SUPPORT)))
        )
    staff.performance_id = build.user(Role.PERFORMANCE, "Performance analyst", quality_id)
    return staff
