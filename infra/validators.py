"""Validators of the text readers see (titles, bylines, page names, alt text...).

Model fields use them, so the admin and every form say what is wrong; the
same patterns are the database's check constraints (``no_control_characters_constraints``), so
nothing else (the shell, bulk writes) can store what the validators refuse.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from infra import characters


@deconstructible
class NoControlCharacters:
    def __init__(self, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        found = characters.first_control_character(value, multiline=self.multiline)
        if found is not None:
            position, char = found
            raise ValidationError(
                _(
                    "Remove the invisible control character U+%(code)s (character "
                    "%(position)s): readers' pages and feeds cannot show it."
                ),
                code="control_character",
                params={"code": f"{ord(char):04X}", "position": position + 1},
            )

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


single_line = NoControlCharacters(multiline=False)
multiline = NoControlCharacters(multiline=True)


def not_blank(value):
    """Refuse text that holds only white space and invisible format characters."""
    if characters.is_blank(value):
        raise ValidationError(
            _("This field is empty: it holds only spaces or invisible characters."),
            code="blank",
        )


def no_control_characters_constraints(prefix, single=(), multi=()):
    """Check constraints refusing control characters in these fields (``<prefix>_<field>_...``)."""
    return [
        models.CheckConstraint(
            condition=~models.Q(**{f"{field}__regex": pattern}),
            name=f"{prefix}_{field}_no_control_characters",
        )
        for fields, pattern in [
            (single, characters.CONTROL_IN_LINE),
            (multi, characters.CONTROL_IN_TEXT),
        ]
        for field in fields
    ]
