"""The commands that load and re-render the site's content."""

import pytest

pytestmark = pytest.mark.django_db


def test_rerender_stores_fresh_html_for_everything_derived(client, db):
    import io

    from django.core.management import call_command

    from articles.models import Article, Section
    from references.models import Reference

    Section.objects.update(body_html="<p>stale</p>", body_text="stale", discusses_suicide=False)
    Article.objects.update(attribution_html="")
    Reference.objects.update(formatted_html="")
    assert (
        "stale" in client.get("/articles/who-can-benefit-from-ketamine-therapy/").content.decode()
    )
    output = io.StringIO()
    call_command("rerender", stdout=output)
    assert "Rendered" in output.getvalue()
    page = client.get("/articles/who-can-benefit-from-ketamine-therapy/").content.decode()
    assert "stale" not in page
    assert "Centers for Disease Control and Prevention" in page
    assert Section.objects.filter(discusses_suicide=True).exists()
    assert not Reference.objects.filter(formatted_html="").exists()
