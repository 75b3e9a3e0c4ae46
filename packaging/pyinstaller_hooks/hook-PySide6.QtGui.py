"""Replaces PyInstaller's PySide6.QtGui hook: no unused plugins (see qt_trim)."""

from qt_trim import collect

hiddenimports, binaries, datas = collect(__file__)
