"""The district's structure (district, areas, schools) and who holds which
role where. Who may see or change what is decided in `access.py`, never here.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safezones.lib.languages import is_language_code, language_name


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("“%(zone)s” is not a known time zone."), params={"zone": value}) from None


def validate_language_codes(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."))
    unknown = [code for code in value if not is_language_code(code)]
    if unknown:
        message = ngettext("Unknown language code: %(codes)s.", "Unknown language codes: %(codes)s.", len(unknown))
        raise ValidationError(message, params={"codes": ", ".join(unknown)})


def validate_area_words(value: object) -> None:
    valid = isinstance(value, dict) and all(
        isinstance(code, str)
        and is_language_code(code)
        and isinstance(words, list)
        and len(words) == 2
        and all(isinstance(word, str) and word.strip() for word in words)
        for code, words in value.items()
    )
    if not valid:
        raise ValidationError(_("Give the word for an area as language code, singular and plural."))


class District(models.Model):
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    policy_reference = models.CharField(_("policy reference"), max_length=64, blank=True)
    languages = models.JSONField(_("languages offered"), default=list, validators=[validate_language_codes])
    # The district's own word for an area in each language, e.g.
    # {"en": ["Local District", "Local Districts"], "es": ["Distrito Local", "Distritos Locales"]}
    area_words = models.JSONField(_("words for an area"), default=dict, blank=True, validators=[validate_area_words])
    is_demo = models.BooleanField(default=False, editable=False)
    # Days after a family case is closed before what the family wrote is destroyed.
    retention_days = models.PositiveIntegerField(_("days to keep closed cases"), default=90)
    # Deadlines for family cases, in school days (Monday to Friday).
    acknowledge_school_days = models.PositiveSmallIntegerField(_("school days to acknowledge a case"), default=2)
    resolve_school_days = models.PositiveSmallIntegerField(_("school days to resolve a case"), default=10)
    # Minutes an incident alert may go unacknowledged before the next level of
    # the call-down list is alerted.
    acknowledge_minutes = models.PositiveSmallIntegerField(_("minutes to acknowledge an alert"), default=3)
    # The public half of the district's recovery key; the private half is
    # printed once and kept offline (`safezones create-recovery-key`).
    recovery_public_key = models.BinaryField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def area_word(self, language: str, plural: bool = False) -> str:
        """The district's word for an area in the language, or the generic one."""
        words = self.area_words.get(language) or self.area_words.get(language.split("-", maxsplit=1)[0])
        if words:
            return str(words[1 if plural else 0])
        return str(_("Areas") if plural else _("Area"))


class Area(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="schools")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    languages = models.JSONField(
        _("languages spoken by families"), default=list, blank=True, validators=[validate_language_codes]
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def language_names(self) -> list[str]:
        """Each language named in itself, as families would recognise it."""
        return [language_name(code) for code in self.languages]


class Role(models.TextChoices):
    SITE_STAFF = "site_staff", _("Site staff")
    SITE_ADMIN = "site_admin", _("Site administrator")
    AREA_OFFICE = "area_office", _("Area office")
    DISTRICT_OFFICE = "district_office", _("District office")
    LEGAL_OFFICE = "legal_office", _("Legal office")
    PROCUREMENT = "procurement", _("Procurement")
    BOARD_MEMBER = "board_member", _("Board member")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Tuples, not sets: the order ends up in a migration and must not change between runs.
SCHOOL_ROLES: tuple[str, ...] = (Role.SITE_ADMIN, Role.SITE_STAFF)
AREA_ROLES: tuple[str, ...] = (Role.AREA_OFFICE,)


class Membership(models.Model):
    """One role held by one person, at one school, one area, or district-wide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(role__in=list(SCHOOL_ROLES), school__isnull=False, area__isnull=True)
                    | models.Q(role__in=list(AREA_ROLES), school__isnull=True, area__isnull=False)
                    | (
                        ~models.Q(role__in=[*SCHOOL_ROLES, *AREA_ROLES])
                        & models.Q(school__isnull=True, area__isnull=True)
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=models.Q(school__isnull=False),
                name="membership_unique_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"], condition=models.Q(area__isnull=False), name="membership_unique_area"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(school__isnull=True, area__isnull=True),
                name="membership_unique_district",
            ),
        ]

    def __str__(self) -> str:
        place = self.school or self.area
        return f"{self.get_role_display()} ({place})" if place else str(self.get_role_display())
