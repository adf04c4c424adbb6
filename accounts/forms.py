"""Forms of the sign-in steps."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Fel användarnamn eller lösenord."),
        "inactive": _("Kontot är avstängt."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kod från autentiseringsappen eller en reservkod"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip().replace(" ", "")


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Sexsiffrig kod från appen"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"min_length": _("Koden har sex siffror.")},
    )
