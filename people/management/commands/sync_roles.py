from django.core.management.base import BaseCommand

from people.services import roles_sync


class Command(BaseCommand):
    help = "Create a group for every role of the access model (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        created = roles_sync()
        self.stdout.write(f"Created {len(created)} role groups; every role now has one.")
