"""Packaging beyond what pyproject.toml can say: the top-level templates/, static/ and migrations/ folders
are shipped inside the wheel as engage/templates, engage/static and engage/migrations, so that
`pip install .` (not editable) gives a complete installation while the checkout keeps its layout.
Everything else is in pyproject.toml.
"""

import os

from setuptools import find_namespace_packages, setup

RESOURCES = {"engage.templates": "templates", "engage.static": "static", "engage.migrations": "migrations"}


def resource_packages() -> list[str]:
    """Each resource folder and its subfolders, as (data-only) packages."""
    packages = []
    for package, folder in RESOURCES.items():
        for directory, subdirectories, _files in os.walk(folder):
            subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
            relative = os.path.relpath(directory, folder)
            packages.append(package if relative == "." else f"{package}.{relative.replace(os.sep, '.')}")
    return packages


RESOURCE_PACKAGES = resource_packages()

setup(
    # Namespace discovery: some feature packages (engage/auth, …) have no __init__.py.
    packages=find_namespace_packages(include=["engage", "engage.*"], exclude=["*.__pycache__"]) + RESOURCE_PACKAGES,
    package_dir=RESOURCES,
    package_data={**{name: ["*"] for name in RESOURCE_PACKAGES}, "engage": ["translations/**/*"]},
    exclude_package_data={"": ["*.pyc"]},
)
