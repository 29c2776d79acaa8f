"""Who has which form open: a courtesy beside the version rule, never a lock."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A form's page sends a heartbeat every 30 s; three missed and its editor is gone.
GONE_AFTER = timedelta(seconds=90)


class PresenceQuerySet(models.QuerySet):
    def here(self, now=None):
        return self.filter(seen_at__gte=(now or timezone.now()) - GONE_AFTER)

    def on(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def of_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class Presence(models.Model):
    """An editor with an object's change form open: since when, and their last heartbeat."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("editor"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen at"), default=timezone.now, db_index=True)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("open form")
        verbose_name_plural = _("open forms")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="presence_one_per_editor"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.content_type_id}:{self.object_id}"

    @classmethod
    def arrive(cls, user, obj, now=None):
        """``user`` opened (or still has) ``obj``'s form: opened now unless they had it."""
        now = now or timezone.now()
        mine = cls.objects.on(obj).filter(user=user)
        # One statement for a heartbeat; back after being gone counts as opened now.
        back = models.Case(
            models.When(seen_at__lt=now - GONE_AFTER, then=models.Value(now)),
            default=models.F("opened_at"),
        )
        if not mine.update(seen_at=now, opened_at=back):
            content_type = ContentType.objects.get_for_model(obj)
            try:
                with transaction.atomic():
                    cls.objects.create(
                        user=user,
                        content_type=content_type,
                        object_id=obj.pk,
                        opened_at=now,
                        seen_at=now,
                    )
            except IntegrityError:  # the same editor's other tab, a moment ago
                mine.update(seen_at=now)

    @classmethod
    def leave(cls, user, obj):
        cls.objects.on(obj).filter(user=user).delete()

    @classmethod
    def others_on(cls, user, obj):
        return list(cls.objects.on(obj).here().exclude(user=user).select_related("user"))
