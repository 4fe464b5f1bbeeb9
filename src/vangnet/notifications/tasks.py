from celery import shared_task

from .services import outbox_deliver, outbox_deliver_due


@shared_task(
    name="vangnet.notifications.tasks.deliver_message",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_message(message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@shared_task(name="vangnet.notifications.tasks.deliver_pending")
def deliver_pending() -> int:
    return outbox_deliver_due()
