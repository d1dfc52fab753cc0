"""A Django e-mail backend that sends through GOV.UK Notify's API.

Choose it with ``EMAIL_BACKEND=rapidreview.notifications.notify_backend.NotifyEmailBackend`` and set
``NOTIFY_API_KEY`` and ``NOTIFY_TEMPLATE_ID``: the id of a Notify e-mail template whose subject is ``((subject))``
and whose body is ``((body))`` (and ``((attachment))`` if calendar invitations are to be sent). The outbox still
records every message; a Notify error is raised (as ``DeliveryError``) so that delivery retries it.
"""

import io
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError

from .delivery import DeliveryError


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, api_key=None, template_id=None, client=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or getattr(settings, "NOTIFY_API_KEY", "") or os.environ.get("NOTIFY_API_KEY", "")
        self.template_id = (template_id or getattr(settings, "NOTIFY_TEMPLATE_ID", "")
                            or os.environ.get("NOTIFY_TEMPLATE_ID", ""))
        self._client = client
        if client is None and not (self.api_key and self.template_id):
            raise ImproperlyConfigured("The GOV.UK Notify e-mail backend needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID.")

    @property
    def client(self):
        if self._client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            self._client = NotificationsAPIClient(self.api_key)
        return self._client

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                self._send(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _send(self, message) -> None:
        personalisation = {"subject": message.subject, "body": message.body}
        files = [a for a in message.attachments if not isinstance(a, str)]
        if files:
            from notifications_python_client import prepare_upload

            filename, content, _mimetype = files[0]
            data = content.encode() if isinstance(content, str) else content
            personalisation["attachment"] = prepare_upload(io.BytesIO(data), filename=filename)
        for address in message.recipients():
            try:
                self.client.send_email_notification(email_address=address, template_id=self.template_id,
                                                    personalisation=personalisation)
            except APIError as exc:
                raise DeliveryError(f"GOV.UK Notify refused the message: {exc}") from exc
