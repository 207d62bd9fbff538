"""The data source plugins' registry (one instance of the one plugin registry), enabled by
`PORTALWERK_DATASOURCE_PLUGINS`."""

from portalwerk.platform.datasources.base import DataSourcePlugin, SourceUnavailable
from portalwerk.platform.plugins import Registry

sources: Registry[DataSourcePlugin] = Registry(
    "datasource", base=DataSourcePlugin, unavailable=SourceUnavailable
)
