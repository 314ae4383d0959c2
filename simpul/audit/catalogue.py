"""Every audit action Simpul writes, with a readable label in the reader's language.

The audit page shows these labels, never the codes. `tests/audit/test_catalogue.py` walks the
source and fails when a `record()` call (imported as `audit`) or a scoped read's `action=`
uses a name that is not here, or when a name here is used nowhere. A code that was renamed
stays readable: `RENAMED` maps the old code, as stored in older rows, to the current one.

Names are `<noun>.<verb>`, the noun being the record (`departure`, `missing`, `return`) and
the verb what happened; `.access` is a refused or allowed lookup of one record by id.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # Accounts and agencies
    "accounts.agency_list": _("Agency list viewed"),
    "accounts.enrolled": _("Account enrolment completed"),
    "accounts.enrolment_issued": _("Enrolment link issued"),
    "accounts.member_add": _("Member added to an agency"),
    "accounts.member_activate": _("Member reactivated"),
    "accounts.member_deactivate": _("Member deactivated"),
    "accounts.agency_registered": _("Agency registered"),
    "accounts.agency_edited": _("Agency edited"),
    "accounts.agency_activated": _("Agency reactivated"),
    "accounts.agency_deactivated": _("Agency deactivated"),
    "accounts.agencies_imported": _("Agencies and users imported from a file"),
    "accounts.first_admin_created": _("First system administrator created at setup"),
    "accounts.password_reset": _("Member's password reset"),
    "accounts.second_factor_reset": _("Member's second factor reset"),
    "accounts.session_draft_kept": _("Unsaved form kept at session end"),
    "accounts.session_draft_restored": _("Unsaved form restored"),
    "api.token_issued": _("API token issued"),
    # The audit trail itself
    "audit.list": _("Audit trail viewed"),
    "audit.rekey": _("Audit chain sealed under the audit key"),
    "audit.reveal_searched": _("Searched text of an audit entry revealed"),
    "audit.searched_lookup": _("Audit trail searched for an identifier"),
    "audit.verify": _("Audit chain verified"),
    # Signing in
    "auth.agreement_accepted": _("Confidentiality agreement accepted"),
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.logout": _("Signed out"),
    "auth.otp_device_added": _("Second factor set up"),
    "auth.otp_failed": _("Second-factor code refused"),
    "auth.otp_setup_failed": _("Second-factor setup failed"),
    "auth.otp_verified": _("Second factor verified"),
    "auth.password_changed": _("Password changed"),
    "auth.password_change_failed": _("Password change refused"),
    "auth.session_timeout": _("Session ended for inactivity"),
    "authz.denied": _("Page refused (no permission)"),
    # Justice chain
    "charge.create": _("Charge recorded"),
    "justice.reminders_raised": _("Legal deadline reminders raised"),
    "perpetrator.create": _("Perpetrator recorded"),
    "perpetrator.sanction": _("Placement licence sanction recorded"),
    "perpetrator.victim_link": _("Perpetrator's relation to a victim recorded"),
    "proceeding.access": _("Proceeding looked up"),
    "proceeding.list": _("Proceeding list viewed"),
    "proceeding.assign_prosecutor": _("Prosecutor assigned to a proceeding"),
    "proceeding.event_append": _("Proceeding event recorded"),
    "proceeding.open": _("Proceeding opened"),
    "sentence.record": _("Sentence recorded"),
    # Cases
    "case.access": _("Case looked up"),
    "case.event_access": _("Chronology event looked up"),
    "case.list": _("Case list viewed"),
    "case.open": _("Case opened"),
    "case.search": _("Cases searched"),
    "case.task_access": _("Task looked up"),
    "case.task_list": _("Task list viewed"),
    "case.view": _("Case viewed"),
    "case.view_step": _("Case step viewed"),
    "case.details": _("Case details updated"),
    "case.assessment_submitted": _("Assessment submitted for approval"),
    "case.assessment_approved": _("Assessment approved"),
    "case.assessment_returned": _("Assessment returned for changes"),
    "case.plan_submitted": _("Case plan submitted for approval"),
    "case.plan_approved": _("Case plan approved"),
    "case.plan_returned": _("Case plan returned for changes"),
    "case.service": _("Service recorded"),
    "case.monitoring": _("Monitoring started"),
    "case.consent": _("Consent recorded"),
    "case.consent_withdrawn": _("Consent withdrawn"),
    "case.closure_requested": _("Closure requested"),
    "case.closed": _("Case closed"),
    "case.closure_refused": _("Closure refused"),
    "case.reopen": _("Case reopened"),
    "case.worker_assigned": _("Case worker assigned"),
    "case.event_recorded": _("Chronology event recorded"),
    "case.event_changed": _("Chronology event changed"),
    "case.event_removed": _("Chronology event removed"),
    "case.task_created": _("Task created"),
    "case.task_reassigned": _("Task reassigned"),
    "case.task_done": _("Task done"),
    # Reports (intake)
    "intake.access": _("Report looked up"),
    "intake.case_opened": _("Case opened from a report"),
    "intake.create": _("Report recorded"),
    "intake.follow_up": _("Report follow-up recorded"),
    "intake.link_person": _("Person linked to a report"),
    "intake.list": _("Report list viewed"),
    "intake.public_report": _("Public report received"),
    "intake.queue": _("Report queue viewed"),
    "intake.refer": _("Report referred"),
    "intake.refer_refused": _("Referral from a report refused"),
    "intake.reporter_note": _("Reporter note added"),
    "intake.reveal_reporter": _("Reporter's contact revealed"),
    "intake.triage": _("Report triaged"),
    "intake.view": _("Report viewed"),
    # Record linkage
    "linkage.alert": _("Possible duplicate alert raised"),
    "linkage.alert.access": _("Duplicate alert looked up"),
    "linkage.alert.confirm": _("Duplicate alert confirmed"),
    "linkage.alert.dismiss": _("Duplicate alert dismissed"),
    "linkage.alert.list": _("Duplicate alerts viewed"),
    "linkage.decide": _("Duplicate pair decided"),
    "linkage.decrypt": _("Identities opened for record linkage"),
    "linkage.pair.access": _("Possible duplicate pair looked up"),
    "linkage.pair.view": _("Possible duplicate pair viewed"),
    "linkage.review.list": _("Duplicate review list viewed"),
    "linkage.run": _("Record linkage run"),
    "linkage.run.request": _("Record linkage run requested"),
    "linkage.statistics": _("Linkage statistics viewed"),
    # Migration safety
    "migration.statistics": _("Migration statistics viewed"),
    "departure.access": _("Departure looked up"),
    "departure.cancel": _("Departure marked as not having left"),
    "departure.confirm": _("Departure confirmed"),
    "departure.create": _("Departure registered"),
    "departure.documents": _("Departure documents updated"),
    "departure.list": _("Departure list viewed"),
    "departure.reveal": _("Departure contacts revealed"),
    "departure.view": _("Departure viewed"),
    "checkin.access": _("Check-in looked up"),
    "checkin.list": _("Check-in list viewed"),
    "checkin.record": _("Check-in recorded"),
    "missing.access": _("Missing-person report looked up"),
    "missing.create": _("Missing person reported"),
    "missing.list": _("Missing-person reports viewed"),
    "missing.reopen": _("Missing-person report reopened"),
    "missing.resolve": _("Missing-person report resolved"),
    "missing.update": _("Missing-person report updated"),
    "missing.view": _("Missing-person report viewed"),
    "return.access": _("Return looked up"),
    "return.create": _("Return recorded"),
    "return.import": _("Deportee list imported"),
    "return.list": _("Return list viewed"),
    "return.view": _("Return viewed"),
    "immigration_decision.access": _("Immigration decision looked up"),
    "immigration_decision.create": _("Passport refusal or departure deferral recorded"),
    "immigration_decision.list": _("Immigration decisions viewed"),
    # Persons (identity vault)
    "person.access": _("Person looked up"),
    "person.bulk_create": _("Persons added by import"),
    "person.create": _("Person recorded"),
    "person.duplicate_check": _("Possible duplicates checked"),
    "person.duplicate_decision": _("Duplicate warning answered"),
    "person.list": _("Person list viewed"),
    "person.reveal": _("Identity revealed"),
    "person.search": _("Persons searched"),
    "person.update": _("Identity corrected"),
    "person.view": _("Person viewed"),
    "vault.rotate_keys": _("Vault keys rotated"),
    # Prevention
    "prevention.event.access": _("Outreach event looked up"),
    "prevention.event.create": _("Outreach event recorded"),
    "prevention.event.update": _("Outreach event updated"),
    "prevention.indicator.configure": _("Vulnerability indicators configured"),
    "prevention.indicator.import": _("Indicator data imported"),
    "prevention.issue.create": _("Village issue recorded"),
    "prevention.issue.delete": _("Village issue removed"),
    "prevention.test.phone": _("Knowledge test opened by phone"),
    "prevention.test.phone_submit": _("Knowledge test submitted by phone"),
    "prevention.test.questions": _("Knowledge test questions changed"),
    "prevention.test.record": _("Knowledge test recorded"),
    "prevention.training.create": _("Training recorded"),
    "prevention.volunteer.access": _("Volunteer looked up"),
    "prevention.volunteer.contact": _("Volunteer contact revealed"),
    "prevention.volunteer.create": _("Volunteer registered"),
    "prevention.volunteer.report": _("Volunteer report recorded"),
    "prevention.volunteer.update": _("Volunteer updated"),
    # Referrals
    "referral.accept": _("Referral accepted"),
    "referral.access": _("Referral opened"),
    "referral.consent_override": _("Referral sent without consent (override)"),
    "referral.coordination": _("Referral coordination note"),
    "referral.decline": _("Referral declined"),
    "referral.end": _("Sharing ended"),
    "referral.escalate": _("Referral escalated"),
    "referral.list": _("Referral list viewed"),
    "referral.refused_no_consent": _("Referral refused: no consent"),
    "referral.refused_not_shared": _("Referral refused: section not shared"),
    "referral.send": _("Referral sent"),
    # Screening
    "screening.access": _("Screening looked up"),
    "screening.create": _("Screening recorded"),
    "screening.decide_status": _("Victim status decided"),
    "screening.list": _("Screening list viewed"),
    "screening.run": _("Screening rules applied"),
    "screening.view": _("Screening viewed"),
    "screening.view_interview": _("Screening interview viewed"),
}

# Old code (as stored in rows written before a rename) -> current code.
RENAMED: dict[str, str] = {
    "missingreport.access": "missing.access",
    "missingreport.list": "missing.list",
    "missingreport.view": "missing.view",
    "returnevent.access": "return.access",
    "returnevent.list": "return.list",
    "returnevent.view": "return.view",
    "immigrationdecision.access": "immigration_decision.access",
    "immigrationdecision.list": "immigration_decision.list",
}


def is_registered(action: str) -> bool:
    return action in ACTIONS


def label(action: str) -> str:
    """The action's label in the active language; an unknown code (written by a newer or an
    older version) reads as "Other action" so a page never shows a bare code as a sentence."""
    current = RENAMED.get(action, action)
    found = ACTIONS.get(current)
    return str(found) if found is not None else gettext("Other action")


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs sorted by label, for a filter on the audit page."""
    return sorted(((code, str(text)) for code, text in ACTIONS.items()), key=lambda c: c[1])
