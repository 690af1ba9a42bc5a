"""How the client's errors reach people: as a failed update, or as the error of an action."""

from __future__ import annotations

from collections.abc import Callable, Iterator
import contextlib
from typing import Final

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api.exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerError,
    PlexButlerSettingRefusedError,
    PlexButlerTimeoutError,
    PlexButlerUnknownLibraryError,
    PlexButlerUnknownTaskError,
)
from .const import DOMAIN


@contextlib.contextmanager
def update_errors(failed: str = "update_failed") -> Iterator[None]:
    """Report the client's errors as Home Assistant expects from a coordinator (`failed`: how)."""
    try:
        yield
    except PlexButlerAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except PlexButlerError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=failed,
            translation_placeholders={"error": str(err)},
        ) from err


@contextlib.contextmanager
def action_errors(server: str, start_reauth: Callable[[], None]) -> Iterator[None]:
    """Report the client's errors in an action as translated errors naming the server."""
    try:
        yield
    except (PlexButlerUnknownTaskError, PlexButlerUnknownLibraryError) as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_task_on_server"
            if isinstance(err, PlexButlerUnknownTaskError)
            else "unknown_library_on_server",
            translation_placeholders={"server": server},
        ) from err
    except PlexButlerAuthenticationError as err:
        start_reauth()
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="invalid_auth") from err
    except PlexButlerTimeoutError as err:
        # The request reached the server, which may have carried it out: never say it did not.
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_timed_out",
            translation_placeholders={"server": server},
        ) from err
    except PlexButlerError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_failed",
            translation_placeholders={"server": server, "error": str(err)},
        ) from err


# The first kind an error is of says how it reads.
SETTING_ERROR_KEYS: Final = (
    (PlexButlerAuthenticationError, "setting_invalid_auth"),
    (PlexButlerSettingRefusedError, "setting_refused"),
    # The request reached the server, which may have carried it out: never say it did not.
    (PlexButlerTimeoutError, "setting_timed_out"),
    (PlexButlerError, "setting_failed"),
)


@contextlib.contextmanager
def setting_errors(server: str, setting: str, start_reauth: Callable[[], None]) -> Iterator[None]:
    """Report the client's errors in writing a setting as translated errors naming both."""
    try:
        yield
    except PlexButlerError as err:
        if isinstance(err, PlexButlerAuthenticationError):
            start_reauth()
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=next(key for kind, key in SETTING_ERROR_KEYS if isinstance(err, kind)),
            translation_placeholders={"server": server, "setting": setting, "error": str(err)},
        ) from err
