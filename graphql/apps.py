from pathlib import Path

from django.apps import AppConfig


class GraphQLConfig(AppConfig):
    """Only for the `export_sdl` management command; the GraphQL layer has no models."""

    name = "portalwerk.graphql"
    label = "portalwerk_graphql"
    verbose_name = "GraphQL"
    # The area folder is a namespace portion, which Django cannot locate on its own.
    path = str(Path(__file__).resolve().parent)
