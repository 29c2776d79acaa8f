"""The editorial roles: which group may do what.

Used by a migration (so the groups exist after ``migrate``) and by the
``sync_roles`` command (so upgrades that add models keep them right).
"""

# Publishing, scheduling and withdrawing an issue: the chief editor's alone.
PUBLISH_PERMISSION = "magazine.publish_issue"

EDITORS = "编辑"
CHIEF_EDITORS = "主编"

_EDITING = [
    ("magazine", "issue", ("view", "add", "change", "delete")),
    ("sections", "section", ("view", "add", "change", "delete")),
    ("articles", "article", ("view", "add", "change", "delete")),
    ("articles", "author", ("view", "add", "change", "delete")),
    ("articles", "articleimage", ("view", "add", "change", "delete")),
    ("articles", "articlearea", ("view", "add", "change", "delete")),
]

ROLE_PERMISSIONS = {
    EDITORS: [(app, f"{action}_{model}") for app, model, actions in _EDITING for action in actions],
    CHIEF_EDITORS: [
        *[(app, f"{action}_{model}") for app, model, actions in _EDITING for action in actions],
        ("magazine", "publish_issue"),
        ("magazine", "view_correction"),  # 更正记录: what editors changed after publication
    ],
}


def sync_roles(apps, using="default"):
    """Create the groups and set exactly their permissions; returns the groups."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    # The historical registry of a migration has no models_module, which
    # create_permissions takes for "no models here": lend it one.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = []
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        # A migration sees the models as they were then: permissions of
        # models added later are given by the migration that follows them.
        available = {
            (p.content_type.app_label, p.codename): p
            for p in Permission.objects.using(using).select_related("content_type")
        }
        group.permissions.set([available[key] for key in wanted if key in available])
        groups.append(group)
    return groups
