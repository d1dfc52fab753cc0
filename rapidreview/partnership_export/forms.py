"""Forms: asking for an export (its reason), uploading an archive, and the new partnership's name and address."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from rapidreview.accounts.models import Partnership
from rapidreview.forms import GovUKFormMixin

PREFIX = re.compile(r"^[A-Za-z0-9-]*$")


class ExportRequestForm(GovUKFormMixin, forms.Form):
    submit_label = "Ask for the export"

    reason = forms.CharField(
        label="Why is the partnership's data being exported?", max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: the partnership is moving to another installation. The member of the business unit "
                  "who confirms the export will read this.",
        error_messages={"required": "Enter why the partnership's data is being exported"})


class ImportUploadForm(GovUKFormMixin, forms.Form):
    submit_label = "Check the archive"

    archive = forms.FileField(
        label="Partnership export archive", help_text="The ZIP file another installation's export produced.",
        error_messages={"required": "Select the archive to import", "empty": "The selected file is empty"})

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip"):
            raise ValidationError("The selected file must be a ZIP archive")
        if archive.size > settings.PARTNERSHIP_IMPORT_MAX_BYTES:
            raise ValidationError("The selected file must be smaller than "
                                  f"{filesizeformat(settings.PARTNERSHIP_IMPORT_MAX_BYTES)}")
        return archive


class ImportConfirmForm(GovUKFormMixin, forms.Form):
    submit_label = "Import as a new partnership"

    name = forms.CharField(label="Name of the new partnership", max_length=200,
                           error_messages={"required": "Enter the new partnership's name"})
    short_name = forms.CharField(label="Short name", max_length=40, help_text="For example, THSCP.",
                                 error_messages={"required": "Enter a short name"})
    slug = forms.SlugField(label="Address name", max_length=60,
                           help_text="Lower case letters, numbers and hyphens, for example tower-hamlets.",
                           error_messages={"required": "Enter an address name",
                                           "invalid": "Address name must be lower case letters, numbers and "
                                                      "hyphens only"})
    prefix = forms.CharField(
        label="Prefix for references already used here (optional)", max_length=8, required=False,
        help_text="Put in front of case references and other unique values that this installation already has, "
                  "for example TH-. Not needed when nothing clashes.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Partnership.objects.filter(slug=slug).exists():
            raise ValidationError("A partnership with this address name already exists: choose another")
        return slug

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Partnership.objects.filter(name__iexact=name).exists():
            raise ValidationError("A partnership with this name already exists: choose another")
        return name

    def clean_prefix(self):
        prefix = self.cleaned_data["prefix"].strip()
        if not PREFIX.match(prefix):
            raise ValidationError("Prefix must be letters, numbers and hyphens only")
        return prefix
