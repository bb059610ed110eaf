"""Run by test_fault.py in a subprocess whose REDIS_URL points at a closed port: scans,
pages and enqueues must all work without the broker. Prints one JSON line of findings."""

import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")
django.setup()

from django.test import Client  # noqa: E402

from people.models import User  # noqa: E402
from reminders import tasks  # noqa: E402
from reminders.enqueue import enqueue  # noqa: E402
from reminders.models import EmailDelivery  # noqa: E402
from reminders.services import rule_scan  # noqa: E402

findings: dict[str, object] = {}
started = time.monotonic()
findings["inserted"] = rule_scan("CLA-11").inserted
findings["scan_seconds"] = round(time.monotonic() - started, 3)

started = time.monotonic()
findings["enqueued"] = enqueue(tasks.send_email_task, 1)
findings["enqueue_seconds"] = round(time.monotonic() - started, 3)

client = Client(raise_request_exception=False)  # a broken page is a status, not a crash
client.force_login(User.objects.get(email=os.environ["PROBE_USER"]))
timings = {}
for name, path in [("list", "/notifications/"), ("home", "/"), ("healthz", "/healthz")]:
    started = time.monotonic()
    response = client.get(path)
    timings[name] = round(time.monotonic() - started, 3)
    findings[f"{name}_status"] = response.status_code
    if name == "healthz":
        findings["healthz"] = response.json()
admin = User.objects.get(email=os.environ["PROBE_ADMIN"])
client.force_login(admin)
started = time.monotonic()
findings["run_scans_status"] = client.post("/notifications/health/").status_code
timings["run_scans"] = round(time.monotonic() - started, 3)
findings["health_page_status"] = client.get("/notifications/health/").status_code
findings["timings"] = timings
findings["statuses"] = sorted(set(EmailDelivery.objects.values_list("status", flat=True)))
print("PROBE " + json.dumps(findings))
