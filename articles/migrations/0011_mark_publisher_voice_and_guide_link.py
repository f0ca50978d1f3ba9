"""Bring databases loaded before these edits in line with the seed fixtures.

The second article's publisher speaking of itself is marked {{…}} (topic pages leave it
out), and the guide's lost arrow becomes a linked [→] with an editor's note. Only text
still exactly as first loaded is changed: staff edits are left alone.
"""

from django.db import migrations

from articles.rendering import plain_text, render_markdown

EDITS = [
    (
        "We believe that psychotherapy and ketamine is the best way to combine the psychedelic "
        "experience of ketamine for the best chance at long-term solutions for mental health.",
    ),
    (
        "If you’re enrolled in ketamine therapy, learn more about how to get the most out of "
        "your ketamine experience. Practitioners who are interested in adding ketamine therapy "
        "to their practice can check out our online ketamine course",
    ),
]
ARROW = (
    "Discover how ketamine-assisted therapy could support your mental health journey ?",
    "[Discover how ketamine-assisted therapy could support your mental health journey \\[→\\]]"
    "(/enquire/)",
)
NOTE = (
    "the title was added by ATMA CENA editors; the source text has none. The text is "
    "otherwise as written.",
    "the title was added by ATMA CENA editors; the source text has none. In “Take the Next "
    "Step”, the source ends its invitation with a stray “?”, apparently a lost arrow: it is "
    "shown as [→] and links to our enquiry form. The text is otherwise as written.",
)


def apply(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    Article = apps.get_model("articles", "Article")
    for section in Section.objects.all():
        body = section.body
        for (sentence,) in EDITS:
            if sentence in body and "{{" + sentence not in body:
                body = body.replace(sentence, "{{" + sentence + "}}")
        body = body.replace(*ARROW)
        if body != section.body:
            html = render_markdown(body)
            Section.objects.filter(pk=section.pk).update(
                body=body, body_html=html, body_text=plain_text(html)
            )
    for article in Article.objects.filter(attribution__contains=NOTE[0]):
        attribution = article.attribution.replace(*NOTE)
        Article.objects.filter(pk=article.pk).update(
            attribution=attribution, attribution_html=render_markdown(attribution)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_section_body_help_publisher_voice")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
