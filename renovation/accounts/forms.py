"""Login form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from renovation.core.forms import ZhForm


class LoginForm(ZhForm):
    """Username and password; both required."""

    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=128)])
    remember = BooleanField(_l("记住我"))
