"""Fixtures of the sync tests: the stand-in CouchDB hub (skipped, saying why, without node)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bench.stand_in_hub import NodeMissing, StandInHub, stand_in_hub


@pytest.fixture
async def hub() -> AsyncIterator[StandInHub]:
    try:
        async with stand_in_hub() as running:
            yield running
    except NodeMissing as missing:
        pytest.skip(str(missing))
