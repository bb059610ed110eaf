"""Forms of the Issues Resolution pages; each one feeds one service."""

from typing import Any

from django import forms

from challenges import workflow
from challenges.models import Challenge, ChallengeReason, StageConfig
from iro_service.core.forms import GovukDateField
from people.models import User

TEXT = forms.Textarea(attrs={"rows": 4})


def _text(label: str, required_message: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=TEXT,
        help_text=help_text,
        error_messages={"required": required_message},
    )


class VersionForm(forms.Form):
    """Carries the version of the challenge the user was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class RaiseForm(forms.Form):
    scope = forms.ChoiceField(
        label="Who is this about?", widget=forms.RadioSelect, initial=Challenge.Scope.CHILD
    )
    other_children = forms.CharField(
        label="Other children covered (service-level only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Local authority child IDs, one per line.",
    )
    reasons = forms.ModelMultipleChoiceField(
        label="Reasons",
        queryset=ChallengeReason.objects.filter(active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one reason"},
    )
    what_is_wrong = _text("What is wrong?", "Say what is wrong")
    impact_on_child = _text("What is the impact on the child?", "Say what the impact is")
    what_must_happen = _text("What must happen?", "Say what must happen")
    happen_by = GovukDateField(
        label="By when?",
        subject="Date it must happen by",
        required=False,
        help_text="For example, 1 4 2027",
    )
    child_view = forms.CharField(label="The child's view, if known", required=False, widget=TEXT)
    stage = forms.ChoiceField(label="Start at", widget=forms.RadioSelect, initial=workflow.INFORMAL)
    skipped_reason = forms.CharField(
        label="Why not start informally?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you start at a formal stage.",
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, has_siblings: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scopes = [(Challenge.Scope.CHILD.value, "This child")]
        if has_siblings:
            scopes.append(
                (Challenge.Scope.SIBLINGS.value, "This child and their brothers and sisters")
            )
        scopes.append(
            (Challenge.Scope.SERVICE.value, "A service-level concern about many children")
        )
        self.fields["scope"].choices = scopes
        open_stages = set(
            StageConfig.objects.filter(needs_approval=False).values_list("stage", flat=True)
        )
        self.fields["stage"].choices = [
            (stage, workflow.STAGE_LABELS[stage])
            for stage in workflow.STAGES
            if stage in open_stages and stage != workflow.CAFCASS
        ]


class RespondForm(VersionForm):
    response = _text("Your response", "Enter your response")

    def __init__(self, *args: Any, owners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an owner"), *[(user.pk, str(user)) for user in owners]]
        for n in (1, 2, 3):
            self.fields[f"action_{n}_text"] = forms.CharField(
                label=f"Action {n}", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"action_{n}_owner"] = forms.TypedChoiceField(
                label=f"Who owns action {n}?",
                required=False,
                choices=choices,
                coerce=int,
                empty_value=None,
            )
            self.fields[f"action_{n}_due"] = GovukDateField(
                label=f"Action {n} due by",
                subject=f"Date action {n} is due",
                required=False,
                help_text="For example, 1 4 2027",
            )
        self.owners = {user.pk: user for user in owners}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in (1, 2, 3):
            text = (data.get(f"action_{n}_text") or "").strip()
            if text and not data.get(f"action_{n}_due") and f"action_{n}_due" not in self.errors:
                self.add_error(f"action_{n}_due", f"Enter when action {n} is due")
        return data

    def actions(self) -> list[tuple[str, User | None, Any]]:
        rows = []
        for n in (1, 2, 3):
            text = (self.cleaned_data.get(f"action_{n}_text") or "").strip()
            if text:
                owner = self.owners.get(self.cleaned_data.get(f"action_{n}_owner"))
                rows.append((text, owner, self.cleaned_data[f"action_{n}_due"]))
        return rows


class EscalateForm(VersionForm):
    target_stage = forms.ChoiceField(
        label="Escalate to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the stage to escalate to"},
    )
    reason = _text("Why are you escalating?", "Say why you are escalating")
    skipped_reason = forms.CharField(
        label="Why skip a stage?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when you skip a stage.",
    )

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        approvals = set(
            StageConfig.objects.filter(needs_approval=True).values_list("stage", flat=True)
        )
        later = workflow.STAGES[workflow.stage_index(challenge.stage) + 1 :]
        self.fields["target_stage"].choices = [
            (
                stage,
                workflow.STAGE_LABELS[stage]
                + (" (needs the IRO service manager's approval)" if stage in approvals else ""),
            )
            for stage in later
            if stage != workflow.CAFCASS
        ]


class AcceptForm(VersionForm):
    outcome = _text("Outcome", "Enter the outcome")
    what_changed = _text("What changed for the child?", "Say what changed for the child")


class AmendForm(forms.Form):
    outcome = _text("Outcome", "Enter the outcome")
    what_changed = forms.CharField(label="What changed for the child?", required=False, widget=TEXT)
    reason = _text("Why are you amending it?", "Say why you are amending it")


class WithdrawForm(VersionForm):
    reason = _text("Why are you withdrawing the challenge?", "Say why it is withdrawn")


class CafcassForm(VersionForm):
    concurrent = forms.TypedChoiceField(
        label="How are you referring?",
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", "Alongside the current stage (the stage carries on)"),
            ("no", "Instead of the local authority stages (the challenge moves to Cafcass)"),
        ],
        error_messages={"required": "Choose how you are referring"},
    )
    reason = _text("Why are you referring to Cafcass?", "Say why you are referring")
    what_was_sent = _text("What was sent to Cafcass?", "Say what was sent")
    child_wishes = _text("The child's wishes about the referral", "Record the child's wishes")


class CafcassResponseForm(forms.Form):
    cafcass_response = _text("Cafcass's response", "Enter Cafcass's response")
    outcome = _text("Outcome", "Enter the outcome")


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=TEXT,
        help_text="Needed if you decline: the IRO will see it.",
    )


class ReassignForm(VersionForm):
    responder = forms.TypedChoiceField(label="Give this stage to", coerce=int)
    reason = _text("Why?", "Say why it is being reassigned")

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responder"].choices = [(user.pk, str(user)) for user in users]


class FilterForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", required=False)
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *workflow.STAGE_LABELS.items()],
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    iro = forms.TypedChoiceField(label="IRO", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("open", "Open"), *Challenge.Status.choices],
    )
    overdue = forms.BooleanField(label="Only overdue responses", required=False)

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[int, str]],
        iros: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [
            ("", "Any reason"),
            *ChallengeReason.objects.values_list("code", "label"),
        ]
        self.fields["team"].choices = [("", "Any team"), *teams]
        self.fields["iro"].choices = [("", "Any IRO"), *iros]


class CohortRaiseForm(RaiseForm):
    """A service-level challenge about a cohort chosen by filter (issue 6): the cohort and,
    optionally, one team; then the same questions as any challenge."""

    cohort = forms.ChoiceField(label="Which children?", widget=forms.RadioSelect)
    team = forms.TypedChoiceField(
        label="Only the children of this team",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The team's managers answer the challenge. Leave blank for every team.",
    )

    def __init__(
        self, *args: Any, cohorts: list[tuple[str, str]], teams: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, has_siblings=False, **kwargs)
        for name in ("scope", "other_children", "source"):
            del self.fields[name]
        self.fields["cohort"].choices = cohorts
        self.fields["team"].choices = [("", "Every team"), *[(t.pk, t.name) for t in teams]]
        self.order_fields(["cohort", "team"])
