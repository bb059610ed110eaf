"""The /api/v1/ router: one registration per resource."""

from django.urls import include, path

from audits import api as audits_api
from challenges import api as challenges_api
from challenges import clinic_api
from children import api as children_api
from conferences import api as conferences_api
from iro_service.core.api import ApiRouter
from people import api as people_api
from reviews import api as reviews_api

router = ApiRouter()
router.register("children", children_api.ChildViewSet, basename="child")
router.register("periods-of-care", children_api.PeriodOfCareViewSet, basename="period-of-care")
router.register("episodes", children_api.EpisodeViewSet, basename="episode")
router.register("s47-enquiries", children_api.S47EnquiryViewSet, basename="s47-enquiry")
# CP plans with their conferences: the conferences app extends the children app's viewset.
router.register("cp-plans", conferences_api.PlanViewSet, basename="cp-plan")
router.register("allocations", children_api.AllocationViewSet, basename="allocation")
router.register("visits", children_api.VisitViewSet, basename="visit")
router.register(
    "health-assessments", children_api.HealthAssessmentViewSet, basename="health-assessment"
)
router.register("peps", children_api.PersonalEducationPlanViewSet, basename="pep")
router.register("reviews", reviews_api.ReviewViewSet, basename="review")
router.register("challenges", challenges_api.ChallengeViewSet, basename="challenge")
router.register("challenge-clinics", clinic_api.ClinicViewSet, basename="challenge-clinic")
router.register("conferences", conferences_api.ConferenceViewSet, basename="conference")
router.register("core-groups", conferences_api.CoreGroupViewSet, basename="core-group")
router.register("staff", people_api.StaffViewSet, basename="staff")
router.register("teams", people_api.TeamViewSet, basename="team")
router.register("audit-templates", audits_api.AuditTemplateViewSet, basename="audit-template")
router.register("audits", audits_api.AuditViewSet, basename="audit")

urlpatterns = [
    *router.urls,
    # Reporting is included by name: nothing imports the reporting app.
    path("reports/", include("reporting.api_urls")),
]
