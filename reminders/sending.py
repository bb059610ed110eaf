"""Sending one email and telling transient failures (retry later) from permanent ones.

Django's email backend does the sending (SMTP in production, a file in development). When
``NOTIFY_API_KEY`` is set the backend is ``NotifyEmailBackend``, which sends through GOV.UK
Notify. Either way the provider's id is returned: Notify's notification id, or the
Message-ID this module puts on the message.
"""

import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid


class TransientFailure(Exception):
    """Try again later (the provider or the network is having a moment)."""


class PermanentFailure(Exception):
    """Trying again will not help (a bad address, a rejected message)."""


def _classify_smtp(error: Exception) -> Exception:
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return PermanentFailure("recipient refused")
    if isinstance(code, int) and 500 <= code < 600:
        return PermanentFailure(f"SMTP {code}")
    return TransientFailure(type(error).__name__)


def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    reference: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> str:
    """Send one email; return the provider's id. Raises Transient/PermanentFailure.
    ``attachments`` are ``(filename, content, mimetype)``: an invitation's .ics file."""
    message_id = make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        headers={"Message-ID": message_id, "X-IRO-Reference": reference},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send(fail_silently=False)
    except (TransientFailure, PermanentFailure):
        raise
    except (TimeoutError, smtplib.SMTPException, ConnectionError) as error:
        raise _classify_smtp(error) from None
    except OSError as error:
        raise TransientFailure(type(error).__name__) from None
    return getattr(message, "provider_id", "") or message_id


class NotifyEmailBackend(BaseEmailBackend):
    """A Django email backend for GOV.UK Notify (notifications-python-client).

    Notify sends from a template: set ``NOTIFY_EMAIL_TEMPLATE_ID`` to a template whose subject
    is ``((subject))`` and body ``((body))``. The message's ``X-IRO-Reference`` header becomes
    Notify's ``reference``; the notification id is put on ``message.provider_id``.
    """

    def __init__(self, fail_silently: bool = False, **kwargs: object) -> None:
        super().__init__(fail_silently=fail_silently)
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def,override]
        from notifications_python_client.errors import APIError, HTTPError

        sent = 0
        for message in email_messages:
            for address in message.to:
                try:
                    response = self.client.send_email_notification(
                        email_address=address,
                        template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=message.extra_headers.get("X-IRO-Reference") or None,
                    )
                except HTTPError as error:
                    if self.fail_silently:
                        continue
                    status = getattr(error, "status_code", 0) or 0
                    if status == 429 or status >= 500:
                        raise TransientFailure(f"Notify {status}") from None
                    raise PermanentFailure(f"Notify {status}") from None
                except (APIError, OSError) as error:
                    if self.fail_silently:
                        continue
                    raise TransientFailure(type(error).__name__) from None
                message.provider_id = response.get("id", "")
                sent += 1
        return sent
