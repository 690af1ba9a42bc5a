"""What the notification websocket and `/activities` carry: subscribers and activity nodes."""

from dataclasses import dataclass
import json
import logging
from typing import Any

from aiohttp import WSCloseCode, web

from .models import SimulatedActivity
from .render import Node

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subscriber:
    """An open notification websocket and the notification types it asked for (None: all)."""

    socket: web.WebSocketResponse
    filters: frozenset[str] | None

    def wants(self, kind: str) -> bool:
        """Tell whether the subscriber's filters let a notification of this type through.

        Without filters the server sends every type but `log` (public).
        """
        if self.filters is None:
            return kind != "log"
        return kind in self.filters


class WebsocketHub:
    """The open notification websockets, and sending frames to those whose filters want them."""

    def __init__(self) -> None:
        """Start with no websocket open."""
        self._subscribers: list[Subscriber] = []

    def subscribe(
        self, socket: web.WebSocketResponse, filters: frozenset[str] | None
    ) -> Subscriber:
        """Send notifications to an open websocket from now on."""
        subscriber = Subscriber(socket, filters)
        self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop sending notifications to a websocket that closed."""
        self._subscribers.remove(subscriber)

    async def drop_all(self) -> None:
        """Close every notification websocket from the server side."""
        for subscriber in list(self._subscribers):
            await subscriber.socket.close(code=WSCloseCode.GOING_AWAY)

    @property
    def count(self) -> int:
        """Return the number of open notification websockets."""
        return len(self._subscribers)

    def wanted(self, kind: str) -> bool:
        """Tell whether some websocket's filters let a notification of this type through."""
        return any(subscriber.wants(kind) for subscriber in self._subscribers)

    async def broadcast(self, frame: dict[str, Any]) -> None:
        """Send one notification frame to every websocket whose filters let its type through."""
        message = json.dumps(frame)
        kind = frame["NotificationContainer"]["type"]
        for subscriber in list(self._subscribers):
            if not subscriber.wants(kind) or subscriber.socket.closed:
                continue
            try:
                await subscriber.socket.send_str(message)
            except ConnectionError:
                _LOGGER.debug("Notification for a closing websocket dropped")


def activity_node(activity: SimulatedActivity) -> Node:
    """Return an activity as `GET /activities` and the notification websocket report it."""
    return Node(
        {
            "uuid": activity.uuid,
            "type": activity.type,
            "cancellable": activity.cancellable,
            "userID": 1,
            "title": activity.title,
            "subtitle": activity.subtitle,
            "progress": activity.progress,
        },
        {"Context": Node(dict(activity.context))} if activity.context else {},
    )
