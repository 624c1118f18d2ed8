"""The managers' page of the public pages: open or closed, the texts, how far ahead."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from public.models import PublicPages
from public.selectors import public_pages
from staff.roles import manager_required


class PublicPagesForm(forms.ModelForm):
    class Meta:
        model = PublicPages
        fields = [
            "question_open",
            "question_intro",
            "callback_open",
            "callback_intro",
            "phone_days_ahead",
        ]
        widgets = {
            "question_intro": forms.Textarea(attrs={"rows": 4}),
            "callback_intro": forms.Textarea(attrs={"rows": 4}),
        }


@manager_required
def public_pages_settings(request: HttpRequest) -> HttpResponse:
    form = PublicPagesForm(request.POST or None, instance=public_pages())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings of the public pages are saved."))
        return redirect("public_pages_settings")
    return render(request, "public/settings.html", {"form": form})
