from django import template
from django.utils.html import format_html

from vangnet.core.forms import FIELD, new_form_token
from vangnet.youth.domain.identifiers import is_valid_bsn, normalise_number

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A one-time token against double submits; see core.forms.idempotency_check."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_form_token())


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs) -> str:
    """This page's query string with some values replaced. A parameter holding a BSN (typed in a
    search box) is left out: a BSN never travels in a web address."""
    query = context["request"].GET.copy()
    for key in list(query):
        if any(is_valid_bsn(normalise_number(v)) for v in query.getlist(key)):
            query.pop(key)
    for key, value in kwargs.items():
        query[key] = value
    query.pop("page", None) if "page" not in kwargs else None
    return "?" + query.urlencode()


@register.simple_tag
def public_url(view_name: str, *args: object) -> str:
    """An absolute link on the installation's public address (VANGNET_PUBLIC_URL), for e-mails:
    a signaalmail names no person, so it links to a page where the reader signs in first."""
    from django.conf import settings
    from django.urls import reverse

    return f"{settings.VANGNET_PUBLIC_URL}{reverse(view_name, args=args)}"
