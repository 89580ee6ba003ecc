from safezones.checks import check_csrf_middleware


def test_removing_the_csrf_middleware_fails_the_checks(settings):
    assert check_csrf_middleware(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csrf" not in m.lower()]
    assert [error.id for error in check_csrf_middleware(None)] == ["safezones.E001"]
