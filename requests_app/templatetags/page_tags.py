"""Every page's frame (base.html, header, navigation) names the same few static files and
URLs, and a request page the same links to its request: `{% static %}` and `{% url %}` work
each out again on every page (~90 Python calls apiece, a tenth of a list page). These give the
same answers, worked out once per process."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`, kept (the files, and the manifest naming them, are fixed for the
    life of a process)."""
    return _asset(path)


@register.simple_tag
def route(name: str, *args) -> str:
    """`{% url name arg … %}`, kept per script prefix and URLconf: the frame's links, and a
    request page's (~15 links to the same request, each reversed on every page)."""
    return _route(name, get_script_prefix(), get_urlconf(), args)


@lru_cache(maxsize=64)
def _asset(path: str) -> str:
    return static(path)


# Enough for the frame's links and the links of the requests a worker process has open.
@lru_cache(maxsize=4096)
def _route(name: str, prefix: str, urlconf, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def _forget(*, setting, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES", "ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _asset.cache_clear()
        _route.cache_clear()


setting_changed.connect(_forget, dispatch_uid="page_tags.forget")
