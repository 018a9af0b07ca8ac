from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.widgets.tests.scene import Scene, build


@pytest.fixture
def scene(world: World, django_capture_on_commit_callbacks: Any) -> Scene:
    return build(world, django_capture_on_commit_callbacks)
