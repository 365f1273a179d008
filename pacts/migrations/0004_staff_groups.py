"""Two staff roles, as groups: « Rédaction » enters and edits; « Publication » also publishes
and deletes. Neither has any auth.* permission: user management and reference-data imports
stay with superusers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED = [
    ("pacts", "pact"),
    ("pacts", "signingevent"),
    ("pacts", "pactparty"),
    ("pacts", "attendance"),
    ("pacts", "statement"),
    ("pacts", "action"),
    ("pacts", "source"),
    ("people", "person"),
    ("people", "mandate"),
    ("territories", "body"),
]
# Reference lists: read (and offered in autocompletes), maintained by superusers.
VIEWED = [
    ("territories", "territory"),
    ("pacts", "programme"),
    ("pacts", "theme"),
    ("pacts", "strategy"),
]

ROLES = {
    "Rédaction": [
        *[(app, f"{action}_{model}") for app, model in EDITED for action in ("view", "add", "change")],
        *[(app, f"view_{model}") for app, model in VIEWED],
    ],
}
ROLES["Publication"] = [
    *ROLES["Rédaction"],
    *[(app, f"delete_{model}") for app, model in EDITED],
    ("pacts", "publish_pact"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("pacts", "0003_history_and_publish_permission"),
        ("people", "0004_history"),
        ("territories", "0005_history"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
