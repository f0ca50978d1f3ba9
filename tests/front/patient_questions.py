"""Questions as patients type them into the search box, each with the pages that answer it.

Typed as people type on a phone: lower case, no question mark, question words and small
words left in, misspellings as they come. Among them the two the issue's phone trial
found unanswered ("how many sessions", "price"). Kept apart from the test as plain data, so
that benchmarks/search_latency.py searches the same questions.
"""

GUIDE = "/articles/ketamine-therapy-for-depression-guide/"
HASTY = "/articles/who-can-benefit-from-ketamine-therapy/"
ESKETAMINE = {GUIDE + "#esketamine-spravato-nasal-spray", "/treatments/esketamine-nasal-spray/"}
IV = {GUIDE + "#intravenous-iv-ketamine", "/treatments/iv-ketamine-infusion/"}
KAP = {
    GUIDE + "#ketamine-assisted-psychotherapy-kap",
    "/treatments/ketamine-assisted-psychotherapy/",
}
COSTS = {
    GUIDE + "#choosing-a-ketamine-provider",
    HASTY + "#who-is-ketamine-therapy-not-appropriate-for",
}
SAFETY = {"/safety/", GUIDE + "#safety-profile-and-side-effects"}
NOT_FOR = {
    HASTY + "#who-is-ketamine-therapy-not-appropriate-for",
    GUIDE + "#medical-screening-and-contraindications",
    "/candidacy/",
}

QUESTIONS = [
    ("how many sessions", ESKETAMINE | IV),
    ("price", COSTS),
    ("how much does it cost", COSTS),
    ("is it covered by insurance", COSTS | {GUIDE + "#esketamine-spravato-nasal-spray"}),
    ("is ketamine safe", SAFETY),
    ("what are the side effects", SAFETY),
    ("side affects", SAFETY),
    ("can ketamine help with anxiety", {HASTY + "#ketamine-therapy-for-anxiety"}),
    ("ketamine for ptsd", {HASTY + "#ketamine-for-patients-with-ptsd"}),
    ("does it work for bipolar", {HASTY + "#ketamine-therapy-for-bipolar-disorder"}),
    ("chronic pain", {HASTY + "#ketamine-therapy-for-chronic-pain"}),
    ("what is spravato", ESKETAMINE),
    ("nasal spray", ESKETAMINE),
    ("esketamin", ESKETAMINE),
    ("spravatto", ESKETAMINE),
    ("how long is an iv infusion", IV),
    ("what happens during a session", {GUIDE + "#during-treatment"}),
    ("what should i do before treatment", {GUIDE + "#pre-treatment-preparation"}),
    ("can i eat before", {GUIDE + "#pre-treatment-preparation"}),
    ("will i be able to drive home", {GUIDE + "#pre-treatment-preparation"}),
    ("how long does it last", {GUIDE + "#duration-of-benefits"}),
    ("how often are sessions", {GUIDE + "#duration-of-benefits"} | ESKETAMINE),
    (
        "how fast does it work",
        {
            GUIDE + "#primary-indications",
            GUIDE + "#understanding-ketamine-from-anesthetic-to-mental-health-treatment",
            HASTY + "#ketamine-therapy-for-treatment-resistant-depression",
        },
    ),
    ("who should not have ketamine", NOT_FOR),
    ("is ketamine addictive", NOT_FOR | {HASTY + "#ketamine-therapy-for-chronic-pain"}),
    (
        "depresion treatment",
        {
            HASTY + "#ketamine-therapy-for-treatment-resistant-depression",
            GUIDE + "#primary-indications",
            GUIDE + "#effectiveness-and-research-evidence",
        },
    ),
    (
        "how does ketamine work",
        {HASTY + "#how-ketamine-works", GUIDE + "#how-ketamine-works-in-the-brain"},
    ),
    ("what is kap", KAP),
    (
        "suicidal thoughts",
        {GUIDE + "#primary-indications", HASTY + "#ketamine-therapy-for-bipolar-disorder"},
    ),
    ("is it fda approved", ESKETAMINE | IV),
    ("what to expect", {GUIDE + "#the-treatment-experience-what-to-expect"}),
]
