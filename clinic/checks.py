"""The launch checklist: what the clinic has still to supply before patients rely on the site.

Each item is a Django system check tagged "launch" and run by `manage.py check --deploy`;
the admin home lists the same items for staff.
"""

from django.core import checks

LAUNCH = "launch"


@checks.register(LAUNCH, deploy=True)
def contact_details_supplied(app_configs=None, **kwargs):
    from django.db import DatabaseError

    from .models import CONTACT_FIELDS, ClinicSettings

    try:
        clinic = ClinicSettings.objects.filter(pk=1).first()
    except DatabaseError:
        return []  # not migrated yet: nothing to say about content
    if clinic is None:
        return []
    return [
        checks.Warning(
            f"The clinic's {field} is not set, so public pages leave it out.",
            hint="Fill it in under Clinic settings in the admin.",
            id=f"clinic.W00{number}",
        )
        for number, field in enumerate(CONTACT_FIELDS, 1)
        if not getattr(clinic, field)
    ]


@checks.register(LAUNCH, deploy=True)
def editorial_statements_supplied(app_configs=None, **kwargs):
    from django.db import DatabaseError

    from .models import POLICY_FIELDS, ClinicSettings

    try:
        clinic = ClinicSettings.objects.filter(pk=1).first()
    except DatabaseError:
        return []
    if clinic is None:
        return []
    return [
        checks.Warning(
            f"The clinic's statement of {ClinicSettings._meta.get_field(field).verbose_name} "
            "is not written, so the editorial policy page leaves it out.",
            hint="Write it under Clinic settings → Editorial policy in the admin.",
            id=f"clinic.W00{number}",
        )
        for number, field in enumerate(POLICY_FIELDS, 4)
        if not getattr(clinic, field).strip()
    ]
