"""Background work of the agency checks: rendering the pack PDF (ADR 0020)."""

from celery import shared_task

from .document import pack_render_build


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_pack(render_id: str) -> bool:
    """Render one requested pack PDF; True when it is stored."""
    render = pack_render_build(render_id=render_id)
    return bool(render and render.rendered_at)
