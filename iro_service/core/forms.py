"""GOV.UK Design System markup for Django forms, through Django's form renderer API.

``FORM_RENDERER = "iro_service.core.forms.GovukFormRenderer"`` makes ``{{ form }}`` and
``{{ form.field.as_field_group }}`` render with ``templates/govuk/forms/``. Pages still show
the error summary themselves (``{% include "includes/error_summary.html" %}``) above the h1.
Django's own widget templates are found because "django.forms" is an installed app.
"""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
