"""After three callbacks without answer, the caller is emailed from the case, not by mailto."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from cases.models import OutboundMessage
from scheduling.callbacks.queue import callback_claim, callback_record_outcome
from scheduling.models import Callback
from tests.factories import CallbackFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def given_up(staff_user):
    callback = CallbackFactory()
    Callback.objects.filter(pk=callback.pk).update(attempts=2)
    callback.refresh_from_db()
    now = local(2026, 11, 30, 10)
    callback_claim(callback=callback, actor=staff_user, now=now)
    result = callback_record_outcome(
        callback=callback, actor=staff_user, outcome="no_answer", now=now
    )
    assert result.gave_up
    return result.callback


def test_the_last_no_answer_opens_the_email_on_the_case(given_up, staff_client, staff_user):
    Callback.objects.filter(pk=given_up.pk).update(state="in_progress", attempts=2)
    response = staff_client.post(
        reverse("callback_outcome", args=[given_up.pk]), {"outcome": "no_answer"}
    )

    assert response["Location"] == reverse("callback_email", args=[given_up.pk])


def test_the_email_is_filled_in_with_a_suggested_text_in_dutch(given_up, staff_client):
    response = staff_client.get(reverse("callback_email", args=[given_up.pk]))

    form = response.context["form"]
    assert form.initial["to"] == "jan@almelo.nl"
    assert form.initial["subject"] == "Re: Vraag over de PSO-status"
    body = form.initial["body"]
    assert "Jan Jansen" in body and given_up.case.reference in body
    assert "3" in body and "0546 123 456" in body
    page = response.content.decode()
    assert f'action="{reverse("case_mail_reply", args=[given_up.case.reference])}"' in page
    assert "mailto:" not in page.split("<main", 1)[1]


def test_sending_it_goes_out_on_the_case_through_the_outgoing_mail(
    given_up, staff_client, staff_user, django_capture_on_commit_callbacks
):
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("case_mail_reply", args=[given_up.case.reference]),
            {
                "to": "jan@almelo.nl",
                "subject": "Re: Vraag over de PSO-status",
                "body": "Beste Jan",
                "loaded_at": timezone.now().isoformat(),
            },
        )

    assert response.status_code == 302
    sent = OutboundMessage.objects.get(automatic=False)
    assert sent.case == given_up.case and sent.sent_by == staff_user
    assert given_up.case.reference in django_mail.outbox[-1].subject
