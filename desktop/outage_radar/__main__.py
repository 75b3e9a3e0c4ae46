"""`python -m outage_radar` runs the same command line as `outage-radar`."""

import sys

from .cli import main

sys.exit(main())
