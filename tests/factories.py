"""Small factories for tests: each makes one valid object, with overridable fields."""

import itertools
import time
import uuid

from django.utils import timezone

from articles.models import Article, Section
from articles.services import save_section
from enquiries.forms import started_token
from enquiries.models import Enquiry, Notification
from references.models import Reference, ReferenceAuthor
from tests.admin_forms import form_values
from topics.models import TopicPage, TopicSection
from translations.models import Translation

_sequence = itertools.count(1)


def make_reference(*, key=None, authors=(("Doe", "J."),), **fields):
    number = next(_sequence)
    fields.setdefault("title", f"A study of things, part {number}")
    fields.setdefault("container_title", "Journal of Tests")
    fields.setdefault("issued_year", 2020)
    reference = Reference.objects.create(key=key or f"ref{number}", **fields)
    for position, (family, given) in enumerate(authors, 1):
        ReferenceAuthor.objects.create(
            reference=reference, position=position, family=family, given=given
        )
    reference.refresh_formatted()
    return reference


def reference_form_data(*, authors=(), **fields):
    """A post to the reference admin's form: a journal article by `authors` (family names)."""
    data = {
        "type": "article-journal",
        "evidence_type": "not-classified",
        "authors-TOTAL_FORMS": str(len(authors)),
        "authors-INITIAL_FORMS": "0",
    }
    for index, family in enumerate(authors):
        data[f"authors-{index}-position"] = str(index + 1)
        data[f"authors-{index}-family"] = family
    data.update(fields)
    return data


def make_article(*, sections=(), **fields):
    """An article; `sections` is a list of Markdown bodies, one section each."""
    number = next(_sequence)
    fields.setdefault("title", f"Test article {number}")
    fields.setdefault("slug", f"test-article-{number}")
    fields.setdefault("summary", "A summary.")
    fields.setdefault("author_name", "Test Author")
    fields.setdefault("publisher", "ATMA CENA")
    fields.setdefault("status", Article.Status.PUBLISHED)
    article = Article.objects.create(**fields)
    for position, body in enumerate(sections, 1):
        make_section(article=article, position=position, body=body)
    return article


def make_section(*, article, position=1, body="Text.", **fields):
    fields.setdefault("heading", f"Section {position}")
    fields.setdefault("anchor", f"section-{position}")
    section = Section(article=article, position=position, body=body, **fields)
    save_section(section)
    return section


def post_section_edit(client, section, body):
    """Save `section` with a new body through its admin form, as an editor would: the form
    is opened first, so the save carries what the editor saw."""
    url = f"/admin/articles/section/{section.pk}/change/"
    data = form_values(client.get(url), field="body")
    data["body"] = body
    return client.post(url, data)


def publish_pending(page, *, reviewer_name="Rhea Ward, MD"):
    """Submit the page's newest revision and have a clinical reviewer approve it: what puts
    a live page's changes before patients."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from publishing import workflow

    reviewer, _ = get_user_model().objects.get_or_create(
        username="test-reviewer", defaults={"is_staff": True, "email": "reviewer@clinic.test"}
    )
    reviewer.groups.add(Group.objects.get(name=workflow.CLINICAL_REVIEWERS))
    revision = workflow.latest_revision(page)
    if revision is None or revision.status != revision.Status.SUBMITTED:
        revision = workflow.submit(page, user=reviewer)
    return workflow.approve(
        revision,
        reviewer=reviewer,
        credit=reviewer_name,
        next_review_on=workflow.default_next_review(),
    )


def make_topic_page(*, sections=(), **fields):
    """A published topic page showing `sections` (Section objects) in order."""
    number = next(_sequence)
    fields.setdefault("title", f"Topic {number}")
    fields.setdefault("slug", f"topic-{number}")
    fields.setdefault("summary", "A summary.")
    fields.setdefault("intro", "An introduction.")
    fields.setdefault("status", TopicPage.Status.PUBLISHED)
    page = TopicPage.objects.create(**fields)
    for position, section in enumerate(sections, 1):
        TopicSection.objects.create(page=page, section=section, position=position)
    return page


def make_enquiry(*, recipients=(), **fields):
    """An enquiry stored directly (not through the form), with a notification per recipient."""
    fields.setdefault("name", "Alex Example")
    fields.setdefault("email", "alex@example.org")
    fields.setdefault("preferred_contact", "email")
    fields.setdefault("topic", "costs")
    fields.setdefault("message", "How much does a course of treatment cost?")
    fields.setdefault("consented_at", timezone.now())
    enquiry = Enquiry.objects.create(submission_token=uuid.uuid4(), **fields)
    for recipient in recipients:
        Notification.objects.create(enquiry=enquiry, recipient=recipient)
    return enquiry


def enquiry_data(**overrides):
    """A valid enquiry post, shown to the person a minute ago."""
    data = {
        "name": "Alex Example",
        "email": "alex@example.org",
        "phone": "",
        "preferred_contact": "email",
        "topic": "costs",
        "treatment": "",
        "message": "How much does a course of treatment cost?",
        "consent": "on",
        "website": "",
        "started": started_token(time.time() - 60),
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def set_clinic(**values):
    """Change the clinic settings as staff would (the row is made if a flush removed it)."""
    from clinic.models import ClinicSettings

    clinic = ClinicSettings.load()
    for name, value in values.items():
        setattr(clinic, name, value)
    clinic.save()
    return clinic


def without_seed_translations():
    """Delete the seed's Spanish translations (their revisions go with them): for a test of
    the review queue that starts with nothing waiting for review."""
    Translation.objects.all().delete()


def approve_translation(source, language="es"):
    """Have a clinical reviewer approve `source`'s translation waiting for review (the seed's,
    say): the page is then shown in `language`. Returns the translation."""
    from translations.models import Translation

    translation = Translation.objects.of(source, language).get()
    publish_pending(translation)
    return translation


def make_translation(source, content, *, language="es"):
    """A translation of `source` (content shaped as translations.spec.source_words has it),
    approved by a clinical reviewer: what puts it before patients."""
    from django.contrib.contenttypes.models import ContentType

    from publishing import workflow
    from publishing.translating import source_state

    state = source_state(source)
    translation = Translation.objects.create(
        content_type=ContentType.objects.get_for_model(source),
        object_id=source.pk,
        language=language,
        content=content,
        source_revision_id=state["revision"],
        source_words=state["words"],
    )
    workflow.record_new_page(translation, user=None)
    publish_pending(translation)
    return Translation.objects.get(pk=translation.pk)
