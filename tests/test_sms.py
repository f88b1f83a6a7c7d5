"""core.sms with the console backend: a registered template is rendered, 'sent' to the log and kept in
the outbox; an unknown backend is a clear Chinese error."""

import pytest

from renovation.core import sms


def test_console_backend_renders_logs_and_keeps_the_message(app, caplog):
    sms.register_template(app, "test_code", "您的验证码是{code}，5分钟内有效。")
    with caplog.at_level("INFO", logger="renovation.sms"):
        sent = sms.send_sms("13812345678", "test_code", {"code": "204816"})
    assert sent.text == "您的验证码是204816，5分钟内有效。" and sent.parts == 1
    assert sms.outbox("13812345678")[-1] == sent
    assert "13812345678" in caplog.text and "204816" in caplog.text


def test_long_messages_are_billed_by_67_character_parts():
    assert sms.segments("字" * 70) == 1
    assert sms.segments("字" * 71) == 2      # 71 > 70: ceil(71 / 67) = 2
    assert sms.segments("字" * 135) == 3     # ceil(135 / 67) = 3


def test_an_unknown_backend_is_refused_in_chinese(app):
    sms.register_template(app, "test_code", "验证码{code}")
    app.config["SMS_BACKEND"] = "nowhere"
    try:
        with pytest.raises(sms.SmsError) as err:
            sms.send_sms("13812345678", "test_code", {"code": "1"})
    finally:
        app.config["SMS_BACKEND"] = "console"
    assert "短信通道未配置" in err.value.message and "nowhere" in err.value.message
