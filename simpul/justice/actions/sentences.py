"""Charges per defendant and the sentence per charge, checked against the statutory range."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.justice.codes import (
    AdditionalPenalty,
    Aggravation,
    EventCode,
    Law,
    PerpetratorKind,
    VerdictOutcome,
)
from simpul.justice.models import Charge, Defendant, Sentence
from simpul.justice.rules import sanctions


def _require_prosecutor(actor: User, defendant: Defendant) -> None:
    if defendant.proceeding.prosecutor_id != actor.pk:
        raise PermissionDenied


def add_charge(
    actor: User,
    defendant: Defendant,
    *,
    law: str,
    article: str,
    aggravations: list[str],
    request: HttpRequest | None = None,
) -> Charge:
    """The prosecutor charges a defendant under a law and article; aggravations the law does
    not attach to that article are refused."""
    _require_prosecutor(actor, defendant)
    errors: dict[str, str] = {}
    article = article.strip()
    if law not in Law.values:
        errors["law"] = _("Choose a law from the list.")
    if not article:
        errors["article"] = _("Enter the article.")
    on = defendant.proceeding.reported_on
    known = sanctions.articles_of(law, on)
    if known and article and article not in known:
        errors["article"] = _("This article is not in the sanction table of this law.")
    if any(a not in Aggravation.values for a in aggravations):
        errors["aggravations"] = _("Choose aggravating circumstances from the list.")
    elif known and article in known and sanctions.inapplicable(article, aggravations):
        errors["aggravations"] = _("The law does not attach %(items)s to this article.") % {
            "items": ", ".join(
                str(Aggravation(a).label) for a in sanctions.inapplicable(article, aggravations)
            )
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        charge = Charge.objects.create(
            defendant=defendant,
            law=law,
            article=article,
            aggravations=sorted(set(aggravations)),
            recorded_by=actor,
        )
        audit(
            "charge.create",
            actor=actor,
            request=request,
            record=defendant.proceeding,
            fields=["law", "article"] + (["aggravations"] if aggravations else []),
        )
    return charge


@dataclass
class SentenceInput:
    prison_months: int | None = None
    life: bool = False
    fine: int | None = None
    substitute_detention_months: int | None = None
    additional_penalties: list[str] = field(default_factory=list)
    restitution_ordered: bool = False
    restitution_amount: int | None = None


def record_sentence(
    actor: User,
    charge: Charge,
    data: SentenceInput,
    *,
    request: HttpRequest | None = None,
) -> Sentence:
    """The sentence on one charge after a conviction, flagged below the statutory minimum or
    above the maximum (prison and fine separately)."""
    defendant = charge.defendant
    _require_prosecutor(actor, defendant)
    proceeding = defendant.proceeding
    errors: dict[str, str] = {}
    convicted = proceeding.events.filter(
        code=EventCode.VERDICT, verdict_outcome=VerdictOutcome.CONVICTED
    ).exists()
    if not convicted:
        errors["prison_months"] = _("A sentence follows a verdict of conviction.")
    if Sentence.objects.filter(charge=charge).exists():
        errors["prison_months"] = _("This charge already has its sentence.")
    if data.life and data.prison_months:
        errors["prison_months"] = _("Give either months of prison or life imprisonment.")
    if data.restitution_ordered and not data.restitution_amount:
        errors["restitution_amount"] = _("Enter the restitution amount ordered.")
    if any(p not in AdditionalPenalty.values for p in data.additional_penalties):
        errors["additional_penalties"] = _("Choose additional penalties from the list.")
    if errors:
        raise ValidationError(errors)
    table = sanctions.table_for(charge.law, proceeding.reported_on)
    rng = sanctions.statutory_range(
        charge.law,
        charge.article,
        charge.aggravations,
        proceeding.reported_on,
        corporate=defendant.perpetrator.kind == PerpetratorKind.COMPANY,
    )
    with transaction.atomic():
        sentence = Sentence.objects.create(
            charge=charge,
            prison_months=data.prison_months,
            life=data.life,
            fine=data.fine,
            substitute_detention_months=data.substitute_detention_months,
            additional_penalties=sorted(set(data.additional_penalties)),
            restitution_ordered=data.restitution_ordered,
            restitution_amount=data.restitution_amount if data.restitution_ordered else None,
            prison_flag=sanctions.prison_flag(rng, data.prison_months, data.life),
            fine_flag=sanctions.fine_flag(rng, data.fine),
            rule_version=table.version if table and rng else "",
            recorded_by=actor,
        )
        audit(
            "sentence.record",
            actor=actor,
            request=request,
            record=proceeding,
            fields=[n for n, v in vars(data).items() if v],
        )
    return sentence
