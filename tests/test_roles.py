import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

from magazine.roles import CHIEF_EDITORS, EDITORS, OFFICE_HEADS

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_creates_both_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITORS, CHIEF_EDITORS}


def test_editors_edit_everything_but_cannot_publish():
    perms = codenames(EDITORS)
    for model in ["magazine.%s_issue", "sections.%s_section", "articles.%s_article"]:
        for action in ["view", "add", "change"]:
            assert model % action in perms
    assert "magazine.publish_issue" not in perms


def test_chief_editors_also_publish():
    assert codenames(CHIEF_EDITORS) == codenames(EDITORS) | {
        "magazine.publish_issue",
        "magazine.view_correction",
        "magazine.add_reviewlevel",
        "magazine.change_reviewlevel",
        "magazine.delete_reviewlevel",
    }


def test_heads_of_the_office_edit_and_read_corrections_but_cannot_publish():
    assert codenames(OFFICE_HEADS) == codenames(EDITORS) | {"magazine.view_correction"}


def test_user_permissions_follow_the_group():
    editor = User.objects.create_user("bianji", password="x")
    chief = User.objects.create_user("zhubian", password="x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    chief.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    assert editor.has_perm("articles.change_article")
    assert not editor.has_perm("magazine.publish_issue")
    assert chief.has_perm("magazine.publish_issue")


def test_sync_roles_restores_tampered_permissions():
    group = Group.objects.get(name=EDITORS)
    group.permissions.add(Permission.objects.get(codename="publish_issue"))
    group.permissions.remove(Permission.objects.get(codename="change_article"))
    call_command("sync_roles", verbosity=0)
    perms = codenames(EDITORS)
    assert "magazine.publish_issue" not in perms
    assert "articles.change_article" in perms
