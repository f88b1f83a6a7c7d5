"""Fixtures of the aftercare tests."""

import io

import pytest
from PIL import Image


@pytest.fixture
def jpeg() -> bytes:
    """A tiny JPEG photo."""
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()
