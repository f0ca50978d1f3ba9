from django.core.management import BaseCommand
from django.db import transaction

from articles.models import Article, Section
from articles.services import rerender_sections
from references.models import Reference
from topics.models import TopicPage


class Command(BaseCommand):
    help = (
        "Store every piece of derived HTML afresh: section bodies (with their search text, "
        "crisis flags and citations), article attributions, topic page intros and formatted references. Run "
        "it after changing the Markdown renderer, the crisis-language check or CITATION_STYLE."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        rerender_sections()
        for article in Article.objects.all():
            article.save(update_fields=["attribution_html"])
        for page in TopicPage.objects.all():
            page.save(update_fields=["intro_html"])
        references = Reference.objects.prefetch_related("authors")
        for reference in references:
            reference.refresh_formatted()
        self.stdout.write(
            f"Rendered {Section.objects.count()} sections, {Article.objects.count()} articles, "
            f"{TopicPage.objects.count()} topic pages and {len(references)} references."
        )
