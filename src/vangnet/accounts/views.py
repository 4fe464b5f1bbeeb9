from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rules.contrib.views import permission_required

from . import selectors


@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    users = selectors.user_list_for_admin(user=request.user)
    return render(request, "accounts/user_list.html", {"users": users})
