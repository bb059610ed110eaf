"""Completed audits of about one in ten held reviews and conferences, against the latest
published template version of each kind (seeded by the audits app), by an IRO service
manager, with an answer to every question and the RAG rating the answers give."""

from datetime import date

from audits.models import Answer, Audit, AuditAnswer, AuditQuestion, AuditTemplate, Rag
from reporting.synthetic.context import Context

AUDITED_SHARE = 0.1
ANSWERS = (Answer.YES, Answer.YES, Answer.YES, Answer.PARTLY, Answer.NO)


class AuditMaker:
    """Reads each kind's published questions once, then writes audits."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.questions: dict[str, tuple[int, list[AuditQuestion]]] = {}
        for kind in (AuditTemplate.Kind.CLA, AuditTemplate.Kind.CP):
            question = (
                AuditQuestion.objects.filter(
                    version__template__kind=kind,
                    version__template__active=True,
                    version__published_at__isnull=False,
                )
                .order_by("-version__published_at")
                .first()
            )
            if question is not None:
                self.questions[kind] = (
                    question.version_id,
                    list(AuditQuestion.objects.filter(version_id=question.version_id)),
                )

    def maybe(self, kind: str, child_id: int, held: date, **meeting: int) -> None:
        """Audit the meeting held on ``held`` (``review_id=`` or ``conference_id=``) about
        one time in ten, if the kind has a published template."""
        ctx = self.ctx
        if kind not in self.questions or ctx.rng.random() >= AUDITED_SHARE:
            return
        completed = held + ctx.days(1, 20)
        if completed > ctx.today:
            return
        version_id, questions = self.questions[kind]
        audit_id = ctx.writer.new_id(Audit)
        rags = []
        for question in questions:
            answer = ctx.rng.choice(ANSWERS)
            rag = question.rag_for(answer)
            rags.append(rag)
            ctx.writer.add(
                AuditAnswer,
                {
                    "id": ctx.writer.new_id(AuditAnswer),
                    "audit_id": audit_id,
                    "question_id": question.pk,
                    "answer": answer,
                    "rag": rag,
                },
            )
        rating = Rag.RED if Rag.RED in rags else Rag.AMBER if Rag.AMBER in rags else Rag.GREEN
        ctx.writer.add(
            Audit,
            {
                "id": audit_id,
                "version_id": version_id,
                "child_id": child_id,
                "auditor_id": ctx.rng.choice(ctx.staff.iro_managers),
                "status": Audit.Status.COMPLETED,
                "started_at": ctx.at(completed, 9),
                "completed_on": completed,
                "suggested_rating": rating,
                "rating": rating,
                "summary": ctx.text(1),
                **meeting,
            },
        )
