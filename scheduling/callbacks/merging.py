"""Merging cases with their callbacks: the case merge of ``cases``, plus what scheduling keeps.

A merge crosses cases and callbacks, so it lives above both (as logging a call that
books a callback does): ``cases.services.merge`` moves the calls, notes and mail and
closes the merged case; here its callbacks move to the survivor in the same
transaction, listed in the merge's record so that undoing it moves exactly those back.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cases.models import Case, CaseMerge
from cases.services import case_merge, case_merge_undo
from scheduling.models import Callback


@transaction.atomic
def cases_merge(*, source: Case, target: Case, actor: AbstractBaseUser) -> CaseMerge:
    """Merge ``source`` into ``target`` (rules: ``cases.services.merge``), callbacks included.

    Raises ``cases.services.MergeRefused`` with the reason when the merge is not allowed.
    """
    merge = case_merge(source=source, target=target, actor=actor)
    ids = list(Callback.objects.filter(case_id=source.pk).values_list("pk", flat=True))
    Callback.objects.filter(pk__in=ids).update(case_id=target.pk)
    merge.moved["callbacks"] = ids
    merge.save(update_fields=["moved"])
    return merge


@transaction.atomic
def cases_merge_undo(*, merge: CaseMerge, actor: AbstractBaseUser) -> CaseMerge:
    """Undo ``merge`` (managers only): the callbacks that moved go back with the rest."""
    merge = case_merge_undo(merge=merge, actor=actor)
    Callback.objects.filter(
        pk__in=merge.moved.get("callbacks", []), case_id=merge.target_id
    ).update(case_id=merge.source_id)
    return merge
