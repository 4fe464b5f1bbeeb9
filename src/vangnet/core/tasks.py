from celery import shared_task

from vangnet.core.nightly import run_nightly


@shared_task(name="vangnet.core.tasks.nightly")
def nightly() -> dict[str, int]:
    return run_nightly()
