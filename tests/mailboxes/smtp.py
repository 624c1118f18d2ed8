"""aiosmtpd, imported beside the helpdesk's own ``public`` app.

aiosmtpd uses the ``atpublic`` distribution, whose top-level package is also called
``public``, and the helpdesk's app of that name comes first on the path. aiosmtpd needs
it only while its modules are being imported (a decorator that fills ``__all__``), so
they are imported with atpublic's package in place for that moment, and the app's put back.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sys


def _public_modules() -> dict:
    return {n: m for n, m in sys.modules.items() if n == "public" or n.startswith("public.")}


def _import_aiosmtpd() -> tuple[type, type]:
    ours = _public_modules()
    for name in ours:
        del sys.modules[name]
    init = importlib.metadata.distribution("atpublic").locate_file("public/__init__.py")
    spec = importlib.util.spec_from_file_location(
        "public", init, submodule_search_locations=[str(init.parent)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["public"] = module
    try:
        spec.loader.exec_module(module)
        controller = importlib.import_module("aiosmtpd.controller")
        smtp = importlib.import_module("aiosmtpd.smtp")
    finally:
        for name in _public_modules():
            del sys.modules[name]
        sys.modules.update(ours)
    return controller.Controller, smtp.AuthResult


Controller, AuthResult = _import_aiosmtpd()
