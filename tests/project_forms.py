"""Every form class the project defines, found by importing each module of the project's apps."""

import importlib
import pkgutil

from django import forms

PROJECT_PACKAGES = ("rapidreview", "referrals", "panels", "agencychecks", "decisions", "actionplan", "themes")
NOT_IMPORTED = ("migrations", "wsgi", "settings", "celery")  # import-time side effects, and no forms


def _import_all():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if not any(part in NOT_IMPORTED for part in info.name.split(".")):
                importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type]:
    """Every subclass of Django's ``BaseForm`` defined in a project app (tests excluded), sorted by dotted name."""
    _import_all()
    found = {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in PROJECT_PACKAGES}
    return sorted(found, key=dotted_name)


def dotted_name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
