"""The identity vault: people, kept apart from case data and encrypted at rest.

A `Person` row holds only what lists need in the clear (a pseudonymous code and a masked
name) plus the sealed identity, blind indexes for exact lookups (NIK, passport, phone) and
keyed name tokens for name search. Cases, departures and returns refer to a person by id.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel


class Person(ScopedModel):
    code = models.CharField(_("person code"), max_length=12, unique=True)
    masked_name = models.CharField(_("masked name"), max_length=80)
    sealed_identity = models.TextField()
    key_id = models.CharField(max_length=16, db_index=True)
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    passport_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.code


class PersonNameToken(models.Model):
    """One keyed token of a person's normalised name or alias (a blind index for name search)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="personnametoken_unique")
        ]
        indexes = [models.Index(fields=["token"])]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.token[:6]}"


class IdentifierLock(models.Model):
    """One row per blind index (NIK) a write has needed to serialise on.

    Recording a person "unless this NIK is already known" must not let two concurrent requests
    both see "not known" and both create (ten simultaneous hotline submissions made six persons
    with one NIK). A unique constraint on `Person.nik_index` cannot be the answer: two records
    of one NIK are legitimate (another agency's record, an operator who confirmed a new record,
    an import) and are linkage's to merge. So the check-then-create takes a row lock here,
    keyed by the keyed hash (never the NIK itself), for the length of its transaction.
    """

    key = models.CharField(max_length=80, primary_key=True)

    def __str__(self) -> str:
        return self.key[:12]
