"""The crisis numbers last published, kept where a database outage cannot hide them."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from clinic import lifeline
from tests.factories import set_clinic

pytestmark = pytest.mark.django_db


def _publish(**values):
    set_clinic(**values)


def test_the_worker_keeps_the_values_in_storage_whenever_they_change():
    _publish(crisis_line="0800 111 222", phone="555 010 0199")
    assert lifeline.keep_published() is True
    stored = json.loads(default_storage.open(lifeline.STORAGE_NAME).read())
    assert (stored["crisis_line"], stored["phone"]) == ("0800 111 222", "555 010 0199")
    assert lifeline.keep_published() is False, "unchanged: nothing written"
    _publish(crisis_line="0800 333 444")
    assert lifeline.keep_published() is True
    assert json.loads(default_storage.open(lifeline.STORAGE_NAME).read())["crisis_line"] == (
        "0800 333 444"
    )
    assert default_storage.listdir("clinic")[1] == ["lifeline.json"], "one file, overwritten"


def test_without_the_database_a_process_finds_memory_then_storage_then_the_code():
    assert lifeline.last_published() == lifeline.built_in()
    assert lifeline.built_in().crisis_line == "988" and not lifeline.built_in().phone

    _publish(crisis_line="0800 111 222")
    lifeline.keep_published()
    lifeline.forget()  # a process that has rendered nothing yet
    assert lifeline.last_published().crisis_line == "0800 111 222"

    _publish(crisis_line="0800 555 666")
    Client().get("/safety/")  # a page rendered here reads the database
    assert lifeline.last_published().crisis_line == "0800 555 666"


def test_an_unreadable_file_falls_back_to_the_code(caplog):
    default_storage.save(lifeline.STORAGE_NAME, ContentFile(b"not json"))
    assert lifeline.last_published() == lifeline.built_in()
    assert "Kept crisis numbers unreadable" in caplog.text
