import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives

from rapidreview.notifications.notify_backend import NotifyEmailBackend


class FakeNotify:
    def __init__(self):
        self.sent = []

    def send_email_notification(self, **kwargs):
        self.sent.append(kwargs)
        return {"id": "fake"}


def test_the_notify_backend_sends_subject_and_body_through_the_template():
    fake = FakeNotify()
    backend = NotifyEmailBackend(client=fake, template_id="tmpl-1")
    message = EmailMultiAlternatives("RR-1: Agency check form due", "Body text", "from@example.test",
                                     ["a@example.test"])
    assert backend.send_messages([message]) == 1
    assert fake.sent == [{"email_address": "a@example.test", "template_id": "tmpl-1",
                          "personalisation": {"subject": "RR-1: Agency check form due", "body": "Body text"}}]


def test_the_notify_backend_needs_a_key_and_a_template(settings, monkeypatch):
    settings.NOTIFY_API_KEY = ""
    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    monkeypatch.delenv("NOTIFY_TEMPLATE_ID", raising=False)
    with pytest.raises(ImproperlyConfigured):
        NotifyEmailBackend()


def test_a_notify_error_is_raised_so_the_delivery_task_retries():
    class Down(FakeNotify):
        def send_email_notification(self, **kwargs):
            raise ConnectionError("Notify unavailable")

    backend = NotifyEmailBackend(client=Down(), template_id="t")
    with pytest.raises(ConnectionError):
        backend.send_messages([EmailMultiAlternatives("s", "b", "f@example.test", ["a@example.test"])])
