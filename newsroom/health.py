"""What /health/ checks (django-health-check), and the lighter check Varnish's probe asks.

/health/      for monitoring: database, cache, both media storages, and the task queue.
/health/app/  for the load balancer (deploy/varnish/newsroom.vcl): can this app server
              answer readers? Database and cache only. A slow task worker or a media store
              outage must not take every app server out of rotation at once.
"""

import dataclasses
import datetime

from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

APP_CHECKS = ["health_check.checks.Database", "health_check.checks.Cache"]


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """Tasks (photo renditions, purges, imports) waiting too long: the worker is down or behind."""

    max_waiting: int = 500
    max_age: datetime.timedelta = datetime.timedelta(minutes=5)

    def run(self):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        if oldest is not None and timezone.now() - oldest > self.max_age:
            minutes = (timezone.now() - oldest).total_seconds() // 60
            raise ServiceUnavailable(f"the oldest waiting task was queued {minutes:.0f} minutes ago")
        count = waiting.count()
        if count > self.max_waiting:
            raise ServiceUnavailable(f"{count} tasks waiting")


full_health = HealthCheckView.as_view(
    checks=[
        *APP_CHECKS,
        "health_check.checks.Storage",  # public media
        ("health_check.checks.Storage", {"alias": "originals"}),
        TaskBacklog,
    ]
)
app_health = HealthCheckView.as_view(checks=APP_CHECKS)
