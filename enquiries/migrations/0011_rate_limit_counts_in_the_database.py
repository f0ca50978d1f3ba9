"""Rate-limit counts move to a table of their own.

They were kept in Django's cache, which Redis may evict and the database cache culls
(a third of its rows once it holds 300): anyone could flush them by filling it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enquiries', '0010_staff_notices_beside_enquiries'),
    ]

    operations = [
        migrations.CreateModel(
            name='PostCount',
            fields=[
                ('key', models.CharField(max_length=80, primary_key=True, serialize=False)),
                ('count', models.PositiveIntegerField()),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
        ),
    ]
