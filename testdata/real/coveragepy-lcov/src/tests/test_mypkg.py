from mypkg import calc, text


def test_add():
    assert calc.add(2, 3) == 5


def test_divide():
    assert calc.divide(6, 3) == 2


def test_sign():
    assert calc.sign(5) == 1


def test_text():
    assert text.shout("hi") == "HI!"
    assert text.initials("Ada Lovelace") == "AL"
