from django.conf import settings
from django.http import HttpRequest

from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.queries import current_district


def site(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "district": current_district(),
        "demo_mode": settings.DEMO_MODE,
        "nav": {
            "schools": access.has(user, Capability.VIEW_SCHOOL),
            "overview": access.has(user, Capability.VIEW_AGGREGATES),
            "accounts": access.has(user, Capability.MANAGE_ACCOUNTS),
        },
    }
