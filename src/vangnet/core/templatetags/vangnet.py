from django import template
from django.utils.html import format_html

from vangnet.core.forms import FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A one-time token against double submits; see core.forms.idempotency_check."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_form_token())


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs) -> str:
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    query.pop("page", None) if "page" not in kwargs else None
    return "?" + query.urlencode()
