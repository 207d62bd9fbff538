"""Mail about accounts, sent by the worker in the tenant's own schema."""

from portalwerk.platform import mail
from portalwerk.platform.accounts.models import User
from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="mail", retry=5)
def send_account_mail(*, user_id: int, subject: str, body: str) -> str | None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    # Composed by the service in the language of the request that caused it.
    return mail.send(to=user.email, language=None, subject=subject, body=body)
