"""Staff notices about things other than enquiries (a page waiting for review) use the outbox."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enquiries', '0009_alter_enquiry_treatment'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='admin_path',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='notification',
            name='subject',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='notification',
            name='enquiry',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='enquiries.enquiry'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(('enquiry__isnull', False), models.Q(('subject', ''), _negated=True), _connector='OR'), name='notification_about_an_enquiry_or_a_subject'),
        ),
    ]
