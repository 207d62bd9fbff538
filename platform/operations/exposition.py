"""One scrape: the process's own metrics (or, in multiprocess mode, every web process's) and
gauges read from the database just now, in Prometheus' text format."""

from __future__ import annotations

import logging
import os

from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from portalwerk.platform.operations import activity, queue, tallies
from portalwerk.platform.operations.checks import probe_cursor

logger = logging.getLogger(__name__)

DELIVER_TASK = "portalwerk.platform.handover.tasks.deliver"


class DatabaseCollector:
    """Gauges computed at scrape time from public: right however many processes serve, and
    none of them needs to have seen the events."""

    def collect(self):
        up = GaugeMetricFamily("portalwerk_database_up", "1 if the database answered this scrape.")
        try:
            families = self._families()
        except Exception as error:  # a scrape shows the outage instead of failing
            logger.warning("Metrics could not read the database: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self) -> list:
        with probe_cursor() as cursor:
            tasks = queue.task_queues(cursor)
            found = queue.workers(cursor)
            dead = tallies.dead_letters(cursor)
            cursor.execute("SELECT status, count(*) FROM tenants_tenant GROUP BY status")
            tenants = cursor.fetchall()
            active_counts = activity.active_counts(cursor, timezone.localdate())
        labels = ["queue", "task"]
        waiting = GaugeMetricFamily("portalwerk_jobs_waiting", "Jobs due now.", labels=labels)
        scheduled = GaugeMetricFamily(
            "portalwerk_jobs_scheduled",
            "Jobs scheduled for later (retries, delays).",
            labels=labels,
        )
        running = GaugeMetricFamily("portalwerk_jobs_running", "Jobs being run.", labels=labels)
        oldest = GaugeMetricFamily(
            "portalwerk_jobs_oldest_wait_seconds",
            "How long the oldest due job waited.",
            labels=labels,
        )
        for task in tasks:
            key = [task.queue, task.task]
            waiting.add_metric(key, task.waiting)
            scheduled.add_metric(key, task.scheduled)
            running.add_metric(key, task.running)
            oldest.add_metric(key, task.oldest_wait)
        workers = GaugeMetricFamily(
            "portalwerk_job_workers", "Job workers registered (procrastinate_workers rows)."
        )
        workers.add_metric([], found.registered)
        heartbeat = GaugeMetricFamily(
            "portalwerk_job_worker_heartbeat_age_seconds",
            "Seconds since the newest heartbeat of any job worker (absent with no worker).",
        )
        if found.newest_heartbeat_age is not None:
            heartbeat.add_metric([], found.newest_heartbeat_age)
        queued = GaugeMetricFamily(
            "portalwerk_handover_deliveries_queued",
            "Hand-over deliveries with a job waiting, scheduled for a retry or being sent.",
        )
        queued.add_metric(
            [], sum(t.waiting + t.scheduled + t.running for t in tasks if t.task == DELIVER_TASK)
        )
        failed = GaugeMetricFamily(
            "portalwerk_handover_dead_letters",
            "Hand-over deliveries that failed for good and wait for a clerk, all tenants.",
        )
        failed.add_metric([], dead.total)
        failed_tenants = GaugeMetricFamily(
            "portalwerk_handover_dead_letter_tenants", "Tenants with at least one dead letter."
        )
        failed_tenants.add_metric([], dead.tenants)
        by_status = GaugeMetricFamily("portalwerk_tenants", "Tenants by status.", labels=["status"])
        for status, count in tenants:
            by_status.add_metric([status], count)
        active = GaugeMetricFamily(
            "portalwerk_tenants_active",
            "Tenants whose portal served a request today, in the last 7 or the last 30 days.",
            labels=["period"],
        )
        for period, count in active_counts.items():
            active.add_metric([period], count)
        return [
            waiting,
            scheduled,
            running,
            oldest,
            workers,
            heartbeat,
            queued,
            failed,
            failed_tenants,
            by_status,
            active,
        ]


def _process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def render() -> tuple[bytes, str]:
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(_process_registry()) + generate_latest(database), CONTENT_TYPE_LATEST
