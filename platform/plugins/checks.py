"""`manage.py check` (and every command that runs checks) reports plugin problems."""

from __future__ import annotations

from django.core.checks import Error, Warning, register


@register("plugins")
def check_plugins(app_configs=None, **kwargs) -> list:
    from portalwerk.platform.plugins.registry import check_all

    messages = []
    for problem in check_all():
        level = Warning if problem.warning else Error
        messages.append(
            level(
                f"{problem.kind} plugin {problem.plugin}: {problem.message}",
                id=f"plugins.{problem.id}",
            )
        )
    return messages
