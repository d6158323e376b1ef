"""Records that are written once and never changed (ALL-2, BH-11).

A correction is a new record that points at the old one. The ORM's normal paths — save() on an
existing row, delete(), QuerySet.update()/delete()/bulk_update() — all raise. PostgreSQL also
refuses UPDATE and DELETE on these tables through a trigger (migration 0002), so a raw query or
a future bug cannot rewrite history either.
"""

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a record that is append-only."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} records cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} records cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} records cannot be changed.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} records cannot be changed.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} records cannot be changed; add a correction instead."
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records cannot be deleted.")
