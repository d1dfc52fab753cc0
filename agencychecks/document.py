"""The pack as one PDF: rendered by a task and kept in private storage while its forms are unchanged (ADR 0020).

``pack_render_build`` is what the ``render_pack`` task runs: it renders the pack through the one renderer
(``rapidreview.pdf``), stores it under MEDIA_ROOT (served only by the access-checked pack view), and keeps only the
latest PDF of each case.
"""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from rapidreview.pdf import Marking, render_pdf

from . import selectors
from .models import PackRender
from .sections import snapshot

logger = logging.getLogger(__name__)

PACK_FOLDER = "packs"


def pack_pdf_bytes(case, forms, *, base_url: str | None) -> bytes:
    """The pack as one PDF: a cover, a contents page and each agency's section."""
    return render_pdf("agencychecks/pack_pdf.html",
                      {"case": case, "pack": selectors.pack_for(case), "entries": [(f, snapshot(f)) for f in forms]},
                      title=f"Agency check forms for the rapid review panel, case {case.reference}",
                      marking=Marking.OFFICIAL_SENSITIVE, footer=f"Panel pack, case {case.reference}",
                      partnership=case.partnership, base_url=base_url)


def pack_filename(case) -> str:
    return f"rapid-review-panel-pack-{case.reference}.pdf"


def pack_render_build(*, render_id) -> PackRender | None:
    """Render and store the pack PDF a ``PackRender`` row asks for, then delete the case's older ones. A row already
    rendered, gone, or whose forms changed before or while it was rendered is left alone (a later download asks for
    the new version)."""
    render = PackRender.objects.select_related("case__partnership").filter(pk=render_id).first()
    if render is None or render.rendered_at is not None:
        return render
    case = render.case
    if selectors.pack_fingerprint(case) != render.fingerprint:
        return render
    pdf = pack_pdf_bytes(case, list(selectors.accepted_forms(case)), base_url=None)
    if selectors.pack_fingerprint(case) != render.fingerprint:  # a form changed while we rendered
        return render
    name = default_storage.save(f"{PACK_FOLDER}/{case.pk}/{render.pk}.pdf", ContentFile(pdf))
    with transaction.atomic():
        locked = PackRender.objects.select_for_update().filter(pk=render.pk, rendered_at__isnull=True).first()
        if locked is None:  # rendered by another worker meanwhile: keep theirs
            transaction.on_commit(lambda: default_storage.delete(name))
            return render
        locked.file.name, locked.rendered_at = name, timezone.now()
        locked.save(update_fields=["file", "rendered_at", "updated_at"])
        for older in PackRender.objects.filter(case=case, created_at__lt=locked.created_at):
            older.delete()  # and its file, after commit (``pack_file_delete``)
    logger.info("Pack PDF of case %s rendered (%s bytes)", case.pk, len(pdf))
    return locked


def pack_file_delete(sender, instance: PackRender, **kwargs) -> None:
    """A pack render row deleted (with its case, by the retention job) takes its PDF with it once that commits:
    a stored pack must not outlive the case it describes. Connected to ``post_delete`` in ``ready()``."""
    if instance.file.name:
        name = instance.file.name
        transaction.on_commit(lambda: default_storage.delete(name))
