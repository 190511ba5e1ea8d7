"""Telling other systems that a story changed: signed POSTs to the webhooks editors register.

The workflow calls `notify_story_changed` (or `event_for_change` first, to name the event);
deliveries are queued once the save commits and sent by the task worker, so a receiver that
is slow or down never blocks or fails a save.
"""

from .events import Event, event_for_change, notify_story_changed

__all__ = ["Event", "event_for_change", "notify_story_changed"]
