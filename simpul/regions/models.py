"""Indonesian administrative regions keyed by their dotted Kemendagri code."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simpul.regions import codes

DEFAULT_VINTAGE = "kepmendagri-2025"


class Region(models.Model):
    """A province, regency/city, district (kecamatan) or village (desa/kelurahan).

    The primary key is the dotted code, so a ForeignKey(Region) column holds the code itself
    and a subtree is `code == X or code startswith X + "."` (see subtree_filter()).
    """

    class Level(models.TextChoices):
        PROVINCE = codes.PROVINCE, _("Province")
        REGENCY = codes.REGENCY, _("Regency/city")
        DISTRICT = codes.DISTRICT, _("District")
        VILLAGE = codes.VILLAGE, _("Village")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Self first, up to the province: "Sebunga, Sajingan Besar, Kabupaten Sambas, ...".
    path_name = models.CharField(_("full name"), max_length=255)
    # Normalised name (see simpul.regions.text) so searches need no functions on the column.
    search_name = models.CharField(max_length=255, db_index=True)
    search_compact = models.CharField(max_length=255, db_index=True)
    vintage = models.CharField(_("vintage"), max_length=40, default=DEFAULT_VINTAGE)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "search_name"], name="regions_level_search_idx"),
        ]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @staticmethod
    def subtree_filter(field_name: str, code: str) -> Q:
        """Q matching `code` and every region below it in a code-valued field.

        `field_name` is a path to a region code: `"code"` on Region itself, or
        `"<fk>__code"` through a ForeignKey, e.g. `subtree_filter("region__code", "61.01")`
        on a model with `region = ForeignKey(Region)`. Django compares the foreign key column
        directly (no join), but it rejects `startswith` on the bare ForeignKey name.
        """
        return Q(**{field_name: code}) | Q(**{f"{field_name}__startswith": code + "."})

    def subtree_q(self, field_name: str = "code") -> Q:
        """subtree_filter() for this region."""
        return self.subtree_filter(field_name, self.code)

    def is_ancestor_of(self, code: str) -> bool:
        """True if the region with `code` lies strictly below this one."""
        return codes.is_ancestor_code(self.code, code)

    def ancestors(self) -> list[Region]:
        """Ancestors from the province down to the parent, in one query (none for provinces)."""
        ancestor_codes = codes.ancestor_codes(self.code)
        if not ancestor_codes:
            return []
        return list(Region.objects.filter(code__in=ancestor_codes).order_by("code"))


class RegionDataset(models.Model):
    """The file last loaded for a vintage, so load_regions can skip an unchanged file."""

    vintage = models.CharField(_("vintage"), max_length=40, primary_key=True)
    sha256 = models.CharField(_("SHA-256 of the CSV"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("region dataset")
        verbose_name_plural = _("region datasets")

    def __str__(self) -> str:
        return f"{self.vintage} ({self.row_count} rows, {self.sha256[:12]})"
