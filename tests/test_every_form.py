"""The guard: every form class of the project is submitted through its page by some test (ADR 0010).

Each app's ``tests/<app>/test_every_form.py`` marks its tests with ``@submits(FormClass, ...)``; a marked test
fails unless each of those forms was valid during a submission of the page as rendered. This module fails when a
form class exists that no such test submits, so a new form cannot escape.
"""

import importlib
from pathlib import Path

from tests.forms_as_rendered import SUBMITTED
from tests.project_forms import dotted_name, project_form_classes

# A base class no view uses on its own.
ABSTRACT = {"agencychecks.forms.completing.SectionForm"}


def _load_every_form_modules():
    for path in sorted(Path(__file__).parent.glob("*/test_every_form.py")):
        importlib.import_module(f"tests.{path.parent.name}.test_every_form")


def test_every_form_class_is_submitted_through_its_page_by_a_test():
    _load_every_form_modules()
    missing = [name for name in map(dotted_name, project_form_classes())
               if name not in SUBMITTED and name not in ABSTRACT]
    assert not missing, ("These forms are not submitted as rendered by any tests/<app>/test_every_form.py "
                         "(mark the test with @submits(...)):\n" + "\n".join(missing))


def test_the_guard_names_only_forms_that_exist():
    _load_every_form_modules()
    names = {dotted_name(cls) for cls in project_form_classes()}
    project_names = {name for name in SUBMITTED if not name.startswith("tests.")}  # the helper's self-tests
    assert project_names - names == set() and names >= ABSTRACT
