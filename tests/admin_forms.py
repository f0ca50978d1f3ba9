"""Read an admin form as a browser would post it, for tests that save as staff do."""

import lxml.html


def form_values(response, field="title", *, status=200):
    """The values of the page's main form (the one holding `field`), as a browser posts them."""
    assert response.status_code == status, response.status_code
    document = lxml.html.fromstring(response.content.decode())
    form = next(f for f in document.forms if field in f.fields)
    textareas = {element.name for element in form.xpath(".//textarea")}
    # A textarea's first newline belongs to the markup, as browsers read it.
    return {
        name: value.removeprefix("\n") if name in textareas else value
        for name, value in form.form_values()
    }


def marked_words(response, tag):
    """The text of every <ins> or <del> on a page (a word diff's additions or removals),
    joined, so a test can ask what was marked whatever way the diff split it."""
    document = lxml.html.fromstring(response.content.decode())
    return " ".join(" ".join(element.text_content().split()) for element in document.iter(tag))


def conflict_choices(response):
    """The names of the choices a form shows when a save met a colleague's later save."""
    document = lxml.html.fromstring(response.content.decode())
    return sorted({radio.get("name") for radio in document.xpath("//input[@type='radio']")})
