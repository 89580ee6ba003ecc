"""Staff accounts. Families never have one."""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.name or self.email

    # Django's auth machinery asks these of every user model.
    @property
    def is_staff(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False


class StaffKey(models.Model):
    """A staff member's key pair. The private key is stored only encrypted under
    a key derived from their password (Argon2id with the cost recorded here),
    so neither the database nor the server can open what it protects."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_key")
    public_key = models.BinaryField()
    wrapped_private_key = models.BinaryField()
    salt = models.BinaryField()
    kdf_ops = models.PositiveIntegerField()
    kdf_memory = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"key of {self.user}"


class Office(models.Model):
    """A group that reads family cases together: a school's office, an area
    office, the district office or the legal office. Its private key exists only
    sealed to each member's key (and to the district's recovery key, if set)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School office")
        AREA = "area", _("Area office")
        DISTRICT = "district", _("District office")
        LEGAL = "legal", _("Legal office")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True)
    area = models.ForeignKey("schools.Area", on_delete=models.PROTECT, null=True, blank=True)
    public_key = models.BinaryField()
    recovery_sealed_private_key = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "school"], condition=models.Q(school__isnull=False), name="office_unique_school"
            ),
            models.UniqueConstraint(
                fields=["kind", "area"], condition=models.Q(area__isnull=False), name="office_unique_area"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(school__isnull=True, area__isnull=True),
                name="office_unique_district_wide",
            ),
        ]

    def __str__(self) -> str:
        place = self.school or self.area
        return f"{self.get_kind_display()} ({place})" if place else str(self.get_kind_display())


class OfficeShare(models.Model):
    """One member's copy of an office's private key, sealed to their own key."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="office_shares")
    sealed_private_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "user"], name="office_share_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.office}"


class AttemptCount(models.Model):
    """A count of attempts within one rate-limit window (lib/ratelimit.py),
    when the cache is the database: one row per keyed digest, bumped in a
    single statement, gone once expired. Never an address or an e-mail."""

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField()
    expires = models.BigIntegerField()  # seconds since the epoch

    def __str__(self) -> str:
        return self.key
