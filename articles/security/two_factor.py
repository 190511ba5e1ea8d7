"""Who must sign in with a second factor, and where to send them when they have not.

Staff in the groups named by NEWSROOM_2FA_REQUIRED_GROUPS (superusers count as members of
every group) reach the admin, the photo desk and staff previews only from a session verified
with a TOTP code or a backup code. Everyone else may enrol too, and is then asked for a code
at every login, but may work without one.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device


def second_factor_required(user):
    groups = settings.NEWSROOM_2FA_REQUIRED_GROUPS
    if not (groups and user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=groups).exists()


def needs_second_factor(user):
    """Whether this signed-in user must still enrol or enter a code before working."""
    verified = getattr(user, "is_verified", None)  # set by django_otp's middleware
    return second_factor_required(user) and not (verified and verified())


def second_factor_url(user, next_url):
    """Enrolment for someone without a device; otherwise the login that asks for a code."""
    step = "two_factor:login" if user_has_device(user) else "two_factor:setup"
    return f"{reverse(step)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def second_factor_step(request):
    return redirect(second_factor_url(request.user, request.get_full_path()))


def require_second_factor(view):
    """For function views: staff who must use a second factor are sent to it first."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if needs_second_factor(request.user):
            return second_factor_step(request)
        return view(request, *args, **kwargs)

    return wrapped


class SecondFactorRequiredMixin:
    """For class-based views; put it after LoginRequiredMixin."""

    def dispatch(self, request, *args, **kwargs):
        if needs_second_factor(request.user):
            return second_factor_step(request)
        return super().dispatch(request, *args, **kwargs)


class SecondFactorAdminSiteMixin:
    """The admin asks for the second factor, and all logins go through the one login form.

    A password-only login at /admin/login/ would skip the code for those who have enrolled.
    """

    def has_permission(self, request):
        return super().has_permission(request) and not needs_second_factor(request.user)

    def login(self, request, extra_context=None):
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if not next_url or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        if needs_second_factor(request.user):
            return redirect(second_factor_url(request.user, next_url))
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
