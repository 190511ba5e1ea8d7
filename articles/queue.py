"""Enqueueing background tasks (django-tasks) once the rows they work on are committed."""

from functools import partial

from django.db.transaction import on_commit


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` when the current transaction commits (at once outside one).

    A worker that picked the task up earlier would not find the new rows yet, and a
    transaction that rolls back must not leave a task behind.
    """
    on_commit(partial(task.enqueue, *args, **kwargs))
