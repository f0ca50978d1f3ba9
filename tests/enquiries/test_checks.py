"""`check --deploy` refuses a hold that may evict the enquiries it holds."""

from enquiries.checks import hold_is_a_redis_that_never_evicts


def _ids():
    return [message.id for message in hold_is_a_redis_that_never_evicts()]


def test_without_a_hold_enquiries_are_handed_back_and_the_check_says_so(settings):
    settings.ENQUIRY_HOLD_REDIS_URL = None
    assert _ids() == ["enquiries.W001"]


def test_the_page_caches_redis_is_refused_whatever_database_number(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"
    settings.ENQUIRY_HOLD_REDIS_URL = "redis://:secret@127.0.0.1:6390/1"
    assert _ids() == ["enquiries.E001"]


def test_a_redis_that_evicts_is_refused_and_one_that_never_does_passes(settings, small_redis):
    settings.REDIS_URL = None
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("volatile-lru")
    assert _ids() == ["enquiries.E002"]
    settings.ENQUIRY_HOLD_REDIS_URL = small_redis("noeviction")
    assert _ids() == []
