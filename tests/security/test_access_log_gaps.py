"""Issue 21, finding 12: reading an e-mail in the outbox, the access log itself and the people list is logged."""

import pytest
from django.urls import reverse

from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.notifications.services import notify
from tests.factories import default_partnership


@pytest.mark.django_db
def test_the_outbox_e_mail_the_audit_log_and_the_people_pages_each_write_an_access_log_line(client, bu_user):
    note = notify(to="someone@example.test", subject="About case RR-1", template="accounts/email/security_change",
                  context={"what": "password"}, kind="test.thing", key="test-access-log-gap",
                  partnership=default_partnership())
    client.force_login(bu_user)
    pages = [reverse("notifications:detail", args=[note.pk]), reverse("audit:log"),
             reverse("accounts:people"), reverse("accounts:person", args=[bu_user.public_id])]
    for path in pages:
        before = AccessLog.objects.filter(path=path).count()
        assert client.get(path).status_code == 200, path
        line = AccessLog.objects.filter(path=path).order_by("-at").first()
        assert AccessLog.objects.filter(path=path).count() == before + 1, f"{path} wrote no access-log line"
        assert line.user == bu_user and line.action == AccessAction.VIEW
    assert AccessLog.objects.get(path=pages[0]).object_id == str(note.pk)
