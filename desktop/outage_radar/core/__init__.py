"""The Qt-free core: sources, fetcher, monitor, history, settings, catalog and probes."""

import sys

# httpx imports its optional command-line client (click, pygments, rich) whenever those happen to
# be installed: 3 MiB or more that this app never uses. None in sys.modules makes that one import
# fail at once, and httpx goes on as it does when they are absent.
# WORKAROUND for https://github.com/encode/httpx/pull/3547 (the CLI imported by httpx/__init__);
# look again when httpx imports its CLI only from __main__.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # None is documented
