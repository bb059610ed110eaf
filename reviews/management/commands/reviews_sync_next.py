"""Create the missing next review of every child in care (set-based; safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand

from reviews.services import reviews_sync_next


class Command(BaseCommand):
    help = "Create the next review of every child in care that lacks one."

    def handle(self, *args: Any, **options: Any) -> None:
        created = reviews_sync_next()
        self.stdout.write(self.style.SUCCESS(f"{created} next reviews created."))
