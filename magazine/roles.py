"""The editorial roles: which group may do what.

Used by a migration (so the groups exist after ``migrate``) and by the
``sync_roles`` command (so upgrades that add models keep them right).
"""

# Publishing, scheduling and withdrawing an issue: the chief editor's alone.
PUBLISH_PERMISSION = "magazine.publish_issue"

EDITORS = "编辑"
OFFICE_HEADS = "编辑部主任"  # 复审: the head of the editorial office
CHIEF_EDITORS = "主编"

_EDITING = [
    ("magazine", "issue", ("view", "add", "change", "delete")),
    ("sections", "section", ("view", "add", "change", "delete")),
    ("articles", "article", ("view", "add", "change", "delete")),
    ("articles", "author", ("view", "add", "change", "delete")),
    ("articles", "articleimage", ("view", "add", "change", "delete")),
    ("articles", "articlearea", ("view", "add", "change", "delete")),
    # Proofing: rounds signed, findings decided, the office's own wrong words.
    ("articles", "proofround", ("view", "add", "change", "delete")),
    ("articles", "prooffinding", ("view", "change")),
    ("articles", "wrongword", ("view", "add", "change", "delete")),
    ("magazine", "reviewlevel", ("view",)),
]

_EDITING_PERMISSIONS = [
    (app, f"{action}_{model}") for app, model, actions in _EDITING for action in actions
]

ROLE_PERMISSIONS = {
    EDITORS: _EDITING_PERMISSIONS,
    OFFICE_HEADS: [*_EDITING_PERMISSIONS, ("magazine", "view_correction")],
    CHIEF_EDITORS: [
        *_EDITING_PERMISSIONS,
        ("magazine", "publish_issue"),
        ("magazine", "view_correction"),  # 更正记录: what editors changed after publication
        # The review chain is the chief editor's to set.
        *[("magazine", f"{action}_reviewlevel") for action in ("add", "change", "delete")],
    ],
}

# The default review chain (三审制): level name, the group holding it.
DEFAULT_CHAIN = [("初审", EDITORS), ("复审", OFFICE_HEADS), ("终审", CHIEF_EDITORS)]
# An office upgraded from the single review step keeps two levels.
TWO_LEVEL_CHAIN = [("初审", EDITORS), ("终审", CHIEF_EDITORS)]


def sync_roles(apps, using="default", chain=True):
    """Create the groups and set exactly their permissions, and the default review
    chain where there is none (``chain``); returns the groups."""
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
    if chain:
        ensure_chain(apps, using)
    return groups


def ensure_chain(apps, using="default", levels=DEFAULT_CHAIN):
    """The review chain ``levels`` where none is set (a new office, a flushed
    database); a chain set by a chief editor is left as it is."""
    try:
        ReviewLevel = apps.get_model("magazine", "ReviewLevel")
    except LookupError:  # a migration before the chain's
        return []
    if ReviewLevel.objects.using(using).exists():
        return []
    Group = apps.get_model("auth", "Group")
    return [
        ReviewLevel.objects.using(using).create(
            position=position, name=name, group=Group.objects.using(using).get(name=group)
        )
        for position, (name, group) in enumerate(levels, start=1)
    ]
