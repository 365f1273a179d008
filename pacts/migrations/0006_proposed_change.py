"""Changes to published pacts wait for a publisher: « Rédaction » sees the proposals,
« Publication » also decides them (approving needs `publish_pact` as well)."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLES = {
    "Rédaction": ["view_proposedchange"],
    "Publication": ["view_proposedchange", "change_proposedchange"],
}


def grant(apps, schema_editor):
    pacts = apps.get_app_config("pacts")
    pacts.models_module = True
    create_permissions(pacts, apps=apps, verbosity=0)
    pacts.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="pacts", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('pacts', '0005_signingevent_search_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProposedChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='identifiant de la fiche')),
                ('object_label', models.CharField(max_length=500, verbose_name='fiche')),
                ('data', models.JSONField(verbose_name='formulaire envoyé')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposée le')),
                ('status', models.CharField(choices=[('en_attente', 'En attente'), ('approuvee', 'Approuvée'), ('rejetee', 'Rejetée')], default='en_attente', max_length=20, verbose_name='état')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='décidée le')),
                ('decision_note', models.TextField(blank=True, verbose_name='motif')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposed_changes', to=settings.AUTH_USER_MODEL, verbose_name='proposée par')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype', verbose_name='type de fiche')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decided_changes', to=settings.AUTH_USER_MODEL, verbose_name='décidée par')),
                ('pact', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposed_changes', to='pacts.pact', verbose_name='pacte')),
            ],
            options={
                'verbose_name': 'modification proposée',
                'verbose_name_plural': 'modifications proposées',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='pacts_propo_status_bc7421_idx')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
