"""The review chain's levels (the chief editor's to set) and the office's own wrong words."""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from articles.models import WrongWord
from magazine.models import ReviewLevel
from magazine.roles import PUBLISH_PERMISSION


class ReviewLevelForm(forms.ModelForm):
    class Meta:
        model = ReviewLevel
        fields = ["position", "name", "group"]

    def clean(self):
        cleaned = super().clean()
        position, group = cleaned.get("position"), cleaned.get("group")
        if position is None or group is None:
            return cleaned
        others = ReviewLevel.objects.exclude(pk=self.instance.pk)
        if not others.filter(position__gt=position).exists():
            app, codename = PUBLISH_PERMISSION.split(".")
            publishes = Permission.objects.filter(
                content_type__app_label=app, codename=codename, group=group
            ).exists()
            if not publishes:
                raise forms.ValidationError(
                    _(
                        "The last level publishes the issue: its group must be one that may "
                        "publish (主编)."
                    )
                )
        return cleaned


@admin.register(ReviewLevel)
class ReviewLevelAdmin(admin.ModelAdmin):
    form = ReviewLevelForm
    list_display = ["position", "name", "group"]
    list_display_links = ["name"]
    ordering = ["position"]

    def has_delete_permission(self, request, obj=None):
        # Two levels at least: an editor's and the one that publishes.
        if obj is not None and ReviewLevel.objects.count() <= 2:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(WrongWord)
class WrongWordAdmin(admin.ModelAdmin):
    list_display = ["wrong", "right", "note", "added_by", "added_at"]
    search_fields = ["wrong", "right"]
    ordering = ["wrong"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
