"""Packaging beyond what pyproject.toml can say: the top-level templates/, static/ and migrations/ folders
are shipped inside the wheel as engage/templates, engage/static and engage/migrations, so that
`pip install .` (not editable) gives a complete installation while the checkout keeps its layout.
Everything else is in pyproject.toml.
"""

import glob
import os

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

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


class BuildPyWithCatalogues(build_py):
    """The wheel carries compiled catalogues (.mo), made from the .po files at build time (never committed)."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in glob.glob(os.path.join("engage", "translations", "*", "LC_MESSAGES", "*.po")):
            target = os.path.join(self.build_lib, po_path[: -len(".po")] + ".mo")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(po_path, "rb") as source, open(target, "wb") as compiled:
                write_mo(compiled, read_po(source))


setup(
    cmdclass={"build_py": BuildPyWithCatalogues},
    # Namespace discovery: some feature packages (engage/auth, …) have no __init__.py.
    packages=find_namespace_packages(include=["engage", "engage.*"], exclude=["*.__pycache__"]) + RESOURCE_PACKAGES,
    package_dir=RESOURCES,
    package_data={**{name: ["*"] for name in RESOURCE_PACKAGES}, "engage": ["translations/**/*"]},
    exclude_package_data={"": ["*.pyc"]},
)
