"""What the Python tests from outside share: a check that stops the run with what failed, and
the count of those that passed, printed as they pass."""

passed = 0


def check(condition, what):
    global passed
    if not condition:
        raise AssertionError(what)
    passed += 1
    print(f"ok - {what}")
