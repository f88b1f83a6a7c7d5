"""The password policy (accounts.passwords): the issue's examples are refused with a Chinese reason."""

import pytest

from renovation.accounts.passwords import password_problems


@pytest.mark.parametrize(("password", "reason"), [
    ("12345678", "太常见"),              # the commonest 8-digit run (zxcvbn score 0)
    ("password1", "太常见"),             # English dictionary word + digit (score 0)
    ("woaini1314", "太常见"),            # 我爱你一生一世: the bundled Chinese list
    ("squad_a", "至少需要 8 个字符"),     # 7 characters
    ("squad_a2024", "不能包含用户名"),    # the username with a year
    ("13812345678", "不能包含用户名、姓名或手机号"),  # the user's own phone
])
def test_weak_passwords_are_refused_with_the_reason(app, password, reason):
    problems = password_problems(password, username="squad_a", display_name="王芳", phone="13812345678")
    assert any(reason in p for p in problems), problems


@pytest.mark.parametrize("password", ["Tongbai#2026", "laoxiaoqu-gaizao-3", "x7Lp-2qMv"])
def test_good_passwords_pass(app, password):
    assert password_problems(password, username="squad_a", display_name="王芳", phone="13812345678") == []
