"""String helpers, fully covered."""


def shout(s):
    return s.upper() + "!"


def initials(name):
    return "".join(part[0] for part in name.split())
