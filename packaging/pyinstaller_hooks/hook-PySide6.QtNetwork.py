"""Replaces PyInstaller's PySide6.QtNetwork hook: no TLS plugins or OpenSSL (httpx does TLS)."""

from qt_trim import collect

hiddenimports, binaries, datas = collect(__file__)
