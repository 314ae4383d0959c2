"""A grant carries what it allows (may edit, shared sections); grants from accepted case
referrals become read-only and limited to the sections the referral shared."""

from django.db import migrations, models

IDENTITY = "identity"


def referral_grants_read_only(apps, schema_editor):
    AccessGrant = apps.get_model("core", "AccessGrant")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Referral = apps.get_model("referrals", "Referral")
    CaseVictim = apps.get_model("cases", "CaseVictim")
    case_ct = ContentType.objects.filter(app_label="cases", model="case").first()
    person_ct = ContentType.objects.filter(app_label="identity", model="person").first()
    accepted = Referral.objects.filter(status="accepted")
    if case_ct is not None:
        for grant in AccessGrant.objects.filter(record_type=case_ct, kind="referral"):
            referrals = accepted.filter(case_id=grant.record_id)
            if grant.agency_id is not None:
                referrals = referrals.filter(to_agency_id=grant.agency_id)
            else:
                referrals = referrals.filter(responded_by_id=grant.user_id)
            sections = sorted({s for r in referrals for s in r.sections})
            # A grant no accepted referral explains shares nothing but the case's existence.
            grant.can_edit, grant.sections = False, sections
            grant.save(update_fields=["can_edit", "sections"])
    if person_ct is not None:
        for grant in AccessGrant.objects.filter(record_type=person_ct, kind="referral"):
            case_ids = CaseVictim.objects.filter(person_id=grant.record_id).values("case_id")
            referrals = accepted.filter(case_id__in=case_ids)
            if grant.agency_id is not None:
                referrals = referrals.filter(to_agency_id=grant.agency_id)
            else:
                referrals = referrals.filter(responded_by_id=grant.user_id)
            if not any(IDENTITY in r.sections for r in referrals):
                continue  # a person sent with a report (intake referral), not a case referral
            grant.can_edit, grant.sections = False, [IDENTITY]
            grant.save(update_fields=["can_edit", "sections"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_alter_accessgrant_kind"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("referrals", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accessgrant",
            name="can_edit",
            field=models.BooleanField(default=True, verbose_name="may edit"),
        ),
        migrations.AddField(
            model_name="accessgrant",
            name="sections",
            field=models.JSONField(blank=True, default=list, verbose_name="shared sections"),
        ),
        migrations.RunPython(referral_grants_read_only, migrations.RunPython.noop),
    ]
