"""PyInstaller entry script: the bundle's executable runs the `outage-radar` command line."""

import sys

from outage_radar.cli import main

if __name__ == "__main__":
    sys.exit(main())
