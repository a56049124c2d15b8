import pytest


@pytest.fixture
def broken():
    raise RuntimeError("fixture fails: an error, not a failure")


def test_pass():
    assert 1 + 1 == 2


def test_fail():
    assert 1 + 1 == 3


def test_error(broken):
    assert broken


@pytest.mark.skip(reason="skipped on purpose")
def test_skip():
    pass
