"""The staff groups and their permissions as the migrations made them.

Kept once the test database is migrated, before any test flushes it: a flush removes them,
and tests that commit (the browser tests) put them back from here, so they never drift from
what production gets.
"""

from django.contrib.auth.models import Group
from django.core import serializers

_as_migrated = []


def keep_as_migrated():
    _as_migrated[:] = [
        serializers.serialize("json", Group.objects.all(), use_natural_foreign_keys=True)
    ]


def restore():
    for group in serializers.deserialize("json", _as_migrated[0]):
        group.save()
