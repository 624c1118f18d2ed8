"""Reports for past periods give the same figures before and after anonymisation."""

from __future__ import annotations

from cases.models import Case, Contact, Note
from privacy.anonymise.case import case_anonymise
from privacy.anonymise.contact import contact_anonymise
from scheduling.reports.tables import TABLES
from tests.factories import ContactFactory, InboundMessageFactory
from tests.scheduling.test_reports import week_of_cases, week_report  # noqa: F401 - the fixture


def figures() -> dict:
    report = week_report()
    tables = {}
    for slug, build in TABLES.items():
        table = build(report)
        subject = table.columns.index("Onderwerp") if "Onderwerp" in table.columns else None
        tables[slug] = [
            [None if i == subject else cell for i, cell in enumerate(row)] for row in table.rows
        ]
    return {
        "tables": tables,
        "cases": list(week_report().case_rows()),
        "by_pso_level": [vars(r) for r in week_report().by_pso_level()],
    }


def test_every_report_table_and_case_row_is_the_same_after_anonymising_every_case(
    week_of_cases,  # noqa: F811
):
    for case in Case.objects.all():
        contact = ContactFactory(
            name="Ida Ellenbroek", email="ida@example.nl", phone="+31201234567"
        )
        Case.objects.filter(pk=case.pk).update(contact=contact, description="Ida belde")
        Note.objects.create(case=case, body="Ida terugbellen", created_at=case.created_at)
        InboundMessageFactory(case=case, contact=contact, from_address="ida@example.nl")
    before = figures()
    assert before["tables"]["enquiries"][-1][-1] > 0  # there are figures to compare

    for case in Case.objects.all():
        case_anonymise(case=case)
    for contact in Contact.objects.all():
        contact_anonymise(contact=contact)

    assert figures() == before
    assert not Case.objects.filter(description__contains="Ida").exists()
