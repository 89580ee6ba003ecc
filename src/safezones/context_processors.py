from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safezones.lib.languages import language_name
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.queries import current_district


def site(request: HttpRequest) -> dict[str, object]:
    user = request.user
    district = current_district()
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "district": district,
        "area_word": district.area_word(language) if district else _("Area"),
        "area_word_plural": district.area_word(language, plural=True) if district else _("Areas"),
        "language_choices": [(code, language_name(code)) for code, _name in settings.LANGUAGES],
        "demo_mode": settings.DEMO_MODE,
        "nav": {
            "schools": access.has(user, Capability.VIEW_SCHOOL),
            "overview": access.has(user, Capability.VIEW_AGGREGATES),
            "accounts": access.has(user, Capability.MANAGE_ACCOUNTS),
            "cases": access.has(user, Capability.READ_FAMILY_CASES),
            "incidents": access.has(user, Capability.VIEW_SCHOOL),
            "notices": access.has(user, Capability.APPROVE_NOTICES),
            "board_report": access.has(user, Capability.BOARD_REPORT),
            "readiness": access.has(user, Capability.VIEW_READINESS),
            "vendors": access.has(user, Capability.VIEW_VENDOR_FINDINGS),
            "vendor_report": access.has(user, Capability.VIEW_VENDOR_REPORT),
        },
    }
