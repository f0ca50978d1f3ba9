"""No input, however malformed, makes the enquiry form answer with a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enquiries.forms import EnquiryForm
from tests.factories import enquiry_data

pytestmark = pytest.mark.django_db
URL = "/enquire/"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Every example must reach validation, not stop at the rate limit."""
    settings.ENQUIRY_RATE_LIMIT = (1_000_000, 60)


FIELDS = list(EnquiryForm.base_fields)
text = st.one_of(
    st.text(max_size=40),
    st.text(max_size=4000),
    st.sampled_from(["", "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "🙂" * 50, "\ufeff"]),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    overrides=st.dictionaries(st.sampled_from(FIELDS), text), drop=st.sets(st.sampled_from(FIELDS))
)
def test_no_form_input_causes_a_server_error(client, overrides, drop):
    data = enquiry_data(**overrides)
    for name in drop:
        data.pop(name, None)
    response = client.post(URL, data)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "body",
    [
        b"name=%FF%FE%FD&message=%C3%28&email=a%40b.c",
        b"\xff\xfe\x00garbage=\x80\x81",
        b"message=" + b"A" * 100_000,
        b"name[]=x&name[]=y&topic=costs&topic=other",
    ],
)
def test_malformed_bodies_never_cause_a_server_error(client, body):
    response = client.generic(
        "POST", URL, data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302, 400)


def test_huge_request_body_is_refused_not_crashed(client):
    response = client.generic(
        "POST",
        URL,
        data=b"message=" + b"A" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
