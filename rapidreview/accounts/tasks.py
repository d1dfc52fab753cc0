"""Background work for accounts: the password reset e-mail, sent away from the request (issue 21, finding 6)."""

from celery import shared_task

from .services import password_reset_send


@shared_task(acks_late=True)
def send_password_reset(email: str) -> int:
    return password_reset_send(email=email)
