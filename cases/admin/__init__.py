"""Administration of cases: where managers look things up and correct master data.

Nothing on a case is changed without a trace (see ``cases.admin.cases``), and
email records are an archive: view only. Each submodule registers the admins of
its area; importing them here is what lets Django's autodiscovery find them.
"""

from cases.admin import (  # noqa: F401
    cases,
    configuration,
    contacts,
    mail,
    merges,
    organisations,
    phone_numbers,
)
