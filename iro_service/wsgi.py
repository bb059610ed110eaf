"""WSGI entry point (gunicorn iro_service.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")
application = get_wsgi_application()

# Import every view now, then move everything loaded so far out of the garbage collector's
# reach: Django, the apps and their modules live as long as the process, and a full
# collection walking them all took about 330 ms in a web worker, every dozen or so requests
# of a busy list page (issue 11, bench/RESULTS.md).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
