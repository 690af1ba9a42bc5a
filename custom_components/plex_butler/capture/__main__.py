"""`python -m custom_components.plex_butler.capture`: record a capture (`recorder.main`)."""

import sys

from .recorder import main

sys.exit(main())
