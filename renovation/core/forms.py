"""The base form of every page: WTForms' built-in messages in Chinese."""

from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta


class ZhForm(FlaskForm):
    """A FlaskForm whose built-in messages (not a valid number, date, choice...) come out in Chinese.

    Uses WTForms' own 'zh' catalogue (no Flask-Babel needed).
    """

    class Meta:
        locales = ["zh"]

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)
