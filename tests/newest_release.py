"""What a release newer than the harness's needs before the harness loads (a pytest plugin).

`scripts/test --newest` runs Home Assistant 2026.11.0 over the harness 0.13.375, made for 2026.10,
and loads this first (`-p tests.newest_release`), until a harness for 2026.11 exists:

- From 2026.11 on, importing `homeassistant` makes `httpx` an alias of httpx2, and fails once
  `httpx` is imported; the harness imports respx, so httpx, before Home Assistant. Importing Home
  Assistant here, earlier, settles the order.
- The harness imports `_clear_logger_overwrites` from the logger component, which from 2026.11 on
  keeps it in its `helpers` module only: it is put back where the harness looks for it.
"""

from homeassistant.components import logger
from homeassistant.components.logger import helpers

if not hasattr(logger, "_clear_logger_overwrites"):
    logger._clear_logger_overwrites = helpers._clear_logger_overwrites
