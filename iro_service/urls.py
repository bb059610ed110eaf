"""Page routes, the sign-in pages, and the API under /api/v1/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from people.forms import SignInForm

urlpatterns = [
    # "/" (named "home"): each role's dashboard, from reporting by name (nothing imports it).
    path("", include("reporting.home_urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("people.urls")),
    path("accounts/passkeys/webauthn/", include("django_otp_webauthn.urls")),
    path("children/", include("children.urls")),
    path("reviews/", include("reviews.urls")),
    path("conferences/", include("conferences.urls")),
    path("timescales/", include("timescales.urls")),
    path("challenges/", include("challenges.urls")),
    path("audits/", include("audits.urls")),
    path("reports/", include("reporting.urls")),
    path("retention/", include("retention.urls")),
    path("", include("reminders.urls")),
    path("api/v1/", include("iro_service.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
