"""Plain text from what reference managers write, and PubMed's lines kept in order."""

from pathlib import Path

import pytest

from references import medline
from references.plaintext import latex_to_text, markup_to_text, verbatim_to_text

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize(
    "latex, text",
    [
        ("$\\epsilon$-greedy", "ε-greedy"),
        ("$\\Delta$CT in $\\beta$-amyloid", "ΔCT in β-amyloid"),
        ("{\\textgreater}65 and {\\textless}5", ">65 and <5"),
        ("64{\\%} of {\\_}x {\\&} y", "64% of _x & y"),
        ("10$^{-3}$ M at 37$^\\circ$C", "10⁻³ M at 37°C"),
        ("\\textit{in vivo} and \\emph{Mus musculus}", "in vivo and Mus musculus"),
        ("{{COVID}-19} in the {United} {States}", "COVID-19 in the United States"),
        (
            "Zamora-L{\\'{o}}pez, Dvo{\\v{r}}{\\'{a}}k, M{\\\"u}ller, {\\o}ster",
            "Zamora-López, Dvořák, Müller, øster",
        ),
        ("pages 21--30 --- and Fig.~1", "pages 21–30 — and Fig. 1"),
    ],
)
def test_latex_to_text(latex, text):
    assert latex_to_text(latex) == text


def test_addresses_are_never_read_as_latex():
    assert verbatim_to_text("https://example.org/a{\\_}b?q=12{\\%}20a") == (
        "https://example.org/a_b?q=12%20a"
    )
    assert verbatim_to_text("https://example.org/~lab/a%20b") == "https://example.org/~lab/a%20b"
    assert verbatim_to_text("\\url{https://example.org/x}") == "https://example.org/x"


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<i>Mus musculus</i> in H<sub>2</sub>O", "Mus musculus in H₂O"),
        ("p < 0.05 and x > 1", "p < 0.05 and x > 1"),
        ("<span style='font-variant:small-caps;'>Rest</span> &amp; recovery", "Rest & recovery"),
        ("CD4<sup>+</sup> and Brand<sup>TM</sup>", "CD4⁺ and BrandTM"),
    ],
)
def test_markup_to_text(markup, text):
    assert markup_to_text(markup) == text


def test_the_medline_reader_keeps_every_line_in_order():
    (record, _other) = medline.records((SAMPLES / "pubmed_group.nbib").read_text())
    tags = [tag for tag, _value in record.lines]
    assert tags.index("CN") < tags.index("FAU") < tags.index("PT")
    assert record.first("PMID") == "90000201" and record.start_line == 1
    assert record.values("CN") == ["Ketamine Trials Writing Committee", "Esketamine Study Group"]
    assert record.first("TI").startswith("Ketamine and esketamine") and "  " not in record.first(
        "TI"
    )


def test_records_without_a_blank_line_between_them_are_still_two():
    text = "PMID- 1\nTI  - First.\nPMID- 2\nTI  - Second.\n"
    assert [record.first("TI") for record in medline.records(text)] == ["First.", "Second."]
