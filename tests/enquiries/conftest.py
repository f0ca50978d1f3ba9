import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def make_staff(django_user_model):
    def make(username, *, group=None, email=None):
        user = django_user_model.objects.create_user(
            username, email=email or f"{username}@clinic.example", password="pw", is_staff=True
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make
