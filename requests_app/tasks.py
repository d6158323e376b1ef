"""Background work, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task


@task()
def generate_pack(pack_id: int, run_id: str) -> None:
    from requests_app.services.packs import run_generation

    run_generation(pack_id, run_id)
