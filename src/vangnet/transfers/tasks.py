"""Background work for large imports (inline when no broker is configured)."""

from celery import shared_task

from vangnet.accounts.models import User

from . import services


@shared_task(name="vangnet.transfers.tasks.check_import", acks_late=True)
def check_import(job_id: int) -> str | None:
    job = services.job_check(job_id=job_id)
    return job.status if job else None


@shared_task(name="vangnet.transfers.tasks.apply_import", acks_late=True)
def apply_import(job_id: int, user_id: int) -> str:
    user = User.objects.select_related("organisation").get(pk=user_id)
    return services.job_apply(job_id=job_id, acting_user=user).status


@shared_task(name="vangnet.transfers.tasks.expire_imports")
def expire_imports() -> int:
    return services.jobs_expire()
