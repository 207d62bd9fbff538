from django.db import models


class SentMail(models.Model):
    """One mail that went out, by its idempotency key: a retried job finds it here and does not
    send again (`mail.send`, docs/decisions/0014-mail-sent-once.md). The key is a hash of the
    caller's key and the recipient, so the row holds no personal data. Rows are written with raw
    SQL inside the send's transaction and pruned after RETENTION_DAYS by later sends."""

    key = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["sent_at"], name="mail_sentmail_sent_at")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.sent_at:%Y-%m-%d %H:%M}"
