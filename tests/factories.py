"""factory_boy factories. Records with rules (episodes, plans) are made through services in
tests, so that what a test sets up is what the application would allow."""

from datetime import date

import factory

from children.models import Child
from people.models import Team, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    level = Team.Level.TEAM


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@staff.example.org")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    password = factory.django.Password("correct horse battery staple")


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    la_child_id = factory.Sequence(lambda n: f"C{n:05d}")
    first_name = factory.Sequence(lambda n: f"Child{n}")
    last_name = "Example"
    date_of_birth = date(2015, 6, 1)
    sex = "F"
    ethnicity = "WBRI"
