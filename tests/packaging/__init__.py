"""Packaging tests: resources, autostart, the wheel and sdist, and the .deb (marker "package")."""
