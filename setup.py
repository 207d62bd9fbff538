"""Maps each area folder to a subpackage of `portalwerk` (see DESIGN.md, "Why the mapping").

The area folders have no __init__.py of their own, so `platform/` and `graphql/` never shadow the
standard library's `platform` or graphql-core when the repository root is on sys.path.
"""

from setuptools import find_namespace_packages, setup

AREAS = ["platform", "tenants", "graphql", "billing", "infra"]
EXCLUDE = ["*__pycache__*", "locale*", "templates*", "static*"]

packages = []
package_dir = {}
for area in AREAS:
    packages.append(f"portalwerk.{area}")
    package_dir[f"portalwerk.{area}"] = area
    for sub in find_namespace_packages(where=area, exclude=EXCLUDE):
        packages.append(f"portalwerk.{area}.{sub}")
        package_dir[f"portalwerk.{area}.{sub}"] = f"{area}/{sub.replace('.', '/')}"

setup(
    packages=packages,
    package_dir=package_dir,
    include_package_data=True,
    package_data={
        "": [
            "*.html",
            "*.txt",
            "*.css",
            "*.js",
            "*.svg",
            "*.graphql",
            "*.po",
            "*.mo",
            "*.tf",
            "*.json",
            "*.sql",
            "**/*",
        ]
    },
)
