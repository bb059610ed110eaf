"""Settings for the benchmark's web server: the application's own settings (read from the
environment as in production) plus the bench-only floor page. Nothing in the application
imports this module; only ``bench/run`` points DJANGO_SETTINGS_MODULE at it."""

from iro_service.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
