"""The action server's endpoint, its connections kept alive from one action call to the next.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp session, so a new connection, for every action call:
5.5 % of the Rasa server's CPU under load (py-spy, 2026-12-07). `KeepAliveEndpoint` sends the same request
through one session per event loop (one per Sanic worker), whose connections are reused.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import ContentTypeError
from rasa.core.utils import AvailableEndpoints
from rasa.utils import endpoints
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

# The client closes an idle connection before the server would (Sanic: 5 s; HAProxy: 10 s, `timeout
# http-request`), so that no call is sent on a connection the server is closing.
KEEPALIVE_SECONDS = 2.0


class KeepAliveEndpoint(EndpointConfig):
    """Rasa's `EndpointConfig`, its requests sharing one aiohttp session per event loop."""

    _session: aiohttp.ClientSession | None = None
    _session_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def of(cls, config: EndpointConfig) -> KeepAliveEndpoint:
        return cls(
            config.url,
            config.params,
            config.headers,
            config.basic_auth,
            config.token,
            config.token_name,
            config.cafile,
            store_type=config.type,
            **config.kwargs,
        )

    def kept_session(self) -> aiohttp.ClientSession:
        """The session of the running event loop, opened on its first call."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            auth = (
                aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
            )
            self._session = aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_SECONDS),
            )
            self._session_loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any | None:
        """Rasa's `EndpointConfig.request` (the JSON of the reply, None if it is not JSON), on the kept session.

        Raises:
            ClientResponseError: the reply's status is 400 or more.
        """
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kwargs.pop("headers", {}))
        headers.update(self.headers)
        context = ssl.create_default_context(cafile=self.cafile) if self.cafile else None
        async with self.kept_session().request(
            method,
            concat_url(self.url, subpath),
            headers=headers,
            params=self.combine_parameters(kwargs),
            compress=compress,
            ssl=context,
            **kwargs,
        ) as response:
            if response.status >= 400:
                raise ClientResponseError(response.status, response.reason or "", await response.content.read())
            try:
                return await response.json()
            except ContentTypeError:
                return None


_rasa_read_endpoints = AvailableEndpoints.read_endpoints


def read_endpoints(endpoint_file: str) -> AvailableEndpoints:
    """Rasa's `AvailableEndpoints.read_endpoints`, the action endpoint keeping its connections alive."""
    available = _rasa_read_endpoints(endpoint_file)
    if available.action is not None:
        available.action = KeepAliveEndpoint.of(available.action)
    return available


def closing_sessions(close_resources: Callable[[Any, Any], Awaitable[None]]) -> Callable[[Any, Any], Awaitable[None]]:
    """Rasa's `close_resources` (after the server stops), also closing the action endpoint's kept session."""

    async def close(app: Any, loop: Any) -> None:
        agent = getattr(app.ctx, "agent", None)
        if agent is not None and isinstance(agent.action_endpoint, KeepAliveEndpoint):
            await agent.action_endpoint.close()
        await close_resources(app, loop)

    return close
