"""Only the failures we expect are caught; anything else (a bug) is raised, never turned into a quiet default."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import NoReverseMatch

from rapidreview import views
from rapidreview.clocks.services import _subject_url


class _Subject:
    def __init__(self, error):
        self.error = error

    def get_absolute_url(self):
        raise self.error


def test_a_clock_subject_without_a_page_links_nowhere():
    assert _subject_url(object()) == ""
    assert _subject_url(_Subject(NoReverseMatch("no page"))) == ""


def test_a_bug_in_a_clock_subjects_address_is_raised():
    with pytest.raises(TypeError):
        _subject_url(_Subject(TypeError("a bug")))


def test_an_unreachable_database_is_reported_down_but_a_bug_in_the_check_is_raised():
    broken = mock.MagicMock()
    broken.__enter__.return_value.execute.side_effect = OperationalError("connection refused")
    with mock.patch.object(views.connection, "cursor", return_value=broken):
        assert views._database_ok() is False
    broken.__enter__.return_value.execute.side_effect = TypeError("a bug")
    with mock.patch.object(views.connection, "cursor", return_value=broken), pytest.raises(TypeError):
        views._database_ok()
