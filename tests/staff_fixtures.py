"""Staff in each group, signed in: editors, a clinical reviewer, a superuser."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client


def _member(django_user_model, username, group, **fields):
    user = django_user_model.objects.create_user(
        username, password="pw", is_staff=True, email=f"{username}@clinic.test", **fields
    )
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(django_user_model):
    return _member(django_user_model, "eddie", "Content editors", first_name="Eddie")


@pytest.fixture
def second_editor(django_user_model):
    return _member(django_user_model, "sam", "Content editors", first_name="Sam")


@pytest.fixture
def reviewer(django_user_model):
    return _member(
        django_user_model, "rhea", "Clinical reviewers", first_name="Rhea", last_name="Ward"
    )


@pytest.fixture
def superuser(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@clinic.test", "pw")
    client = Client()
    client.force_login(user)
    client.user = user
    return client
