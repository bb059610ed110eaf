from django.urls import path

from people import oidc, views

urlpatterns = [
    path("sso/", oidc.oidc_start, name="oidc-start"),
    path("sso/callback/", oidc.oidc_callback, name="oidc-callback"),
    path("mfa/", views.mfa_verify, name="mfa-verify"),
    path("mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("passkeys/", views.passkeys, name="passkeys"),
    path("passkeys/<int:pk>/remove/", views.passkey_delete, name="passkey-remove"),
    path("session/", views.session_status, name="session-status"),
    path("session/keep-alive/", views.session_keep_alive, name="session-keep-alive"),
]
