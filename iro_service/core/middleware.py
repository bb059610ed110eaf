"""Small request/response middleware shared by every app."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Case pages must never sit in a browser or proxy cache (SECURITY.md, headers check).

    Every response to a signed-in user carries ``Cache-Control: no-store``; static files are
    served before this by WhiteNoise and keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
