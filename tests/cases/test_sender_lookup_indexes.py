"""A new sender's organisation is found through an index, not by reading every organisation.

``organisation_for_address`` asks ``UPPER(email_domains) LIKE '%domain%'``; only a
trigram index on exactly that expression (``cases/0025``) can answer it. With the
planner told to avoid scans, its plan must use the index: if the expression Django
writes ever stops matching the index's, this fails.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.intake.threading import organisation_for_address
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
]


def test_the_organisation_of_a_senders_domain_is_found_through_its_trigram_index():
    wanted = OrganisationFactory(email_domains="kringloop-oost.nl")
    OrganisationFactory(email_domains="andere.nl, nog-een.nl")

    with CaptureQueriesContext(connection) as captured:
        assert organisation_for_address("info@Kringloop-Oost.nl") == wanted
    (lookup,) = [q["sql"] for q in captured.captured_queries if "email_domains" in q["sql"]]

    with transaction.atomic(), connection.cursor() as cursor:
        # Neither a scan of the table nor a walk of its primary key (the order by pk).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {lookup}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organisation_email_domains_trgm" in plan, plan
