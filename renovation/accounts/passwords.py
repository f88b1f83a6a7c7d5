"""The password policy: refuse short, common and username-like passwords (NIST SP 800-63B §5.1.1.2:
at least 8 characters, checked against common and context-specific passwords; no composition rules).

Guessability is estimated by zxcvbn (Dropbox's estimator, well kept on PyPI), given the username, the
display name and the phone as words an attacker would try first. zxcvbn's dictionaries are English, so
passwords common among Chinese users (``woaini1314``, ``5201314``, ``qq123456``) are refused from a short
bundled list as well.
"""

from __future__ import annotations

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 128
#: zxcvbn score 0-4; 2 means at least ~10^6 guesses (rate-limited online attacks fail).
MIN_SCORE = 2

#: Passwords common among Chinese users that zxcvbn's English dictionaries rate too well (from published
#: leak analyses: 123456-style runs, "I love you" 我爱你 = woaini / 520 / 1314, qq-prefixed ones).
COMMON_CHINESE = frozenset({
    "woaini1314", "woaini520", "woaini521", "5201314", "52013145201314", "1314520", "woaini123",
    "woaini", "iloveyou1314", "qq123456", "qq5201314", "a123456789", "aa123456", "abc123456",
    "123456qq", "123456aa", "zxc123456", "wang123456", "li123456", "zhang123456", "liu123456",
    "chen123456", "yang123456", "huang123456", "zhao123456", "wu123456", "zhou123456", "admin123",
    "admin888", "111111aa", "147258369", "159357", "1qaz2wsx", "1q2w3e4r", "qazwsxedc", "88888888",
    "66666666", "168168168", "520520520", "asd123456", "laoxiaoqu", "gaizao123",
})


def password_problems(password: str, *, username: str | None = None, display_name: str | None = None,
                      phone: str | None = None) -> list[str]:
    """Why ``password`` is refused for this user, in the reader's language; [] when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("密码至少需要 %(n)d 个字符。", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("密码不能超过 %(n)d 个字符。", n=MAX_LENGTH))
        return problems
    lowered = password.lower()
    personal = [v.strip().lower() for v in (username, display_name, phone) if v and len(v.strip()) >= 3]
    if any(v in lowered or lowered in v for v in personal):
        problems.append(_("密码不能包含用户名、姓名或手机号。"))
    if lowered in COMMON_CHINESE or zxcvbn(password, user_inputs=personal)["score"] < MIN_SCORE:
        problems.append(_("密码太常见或太容易被猜到，请换一个更长、不易猜的密码（例如几个词加数字）。"))
    return problems
