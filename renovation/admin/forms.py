"""Forms of the administration pages."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from renovation.core.forms import ZhForm


class AuditFilterForm(ZhForm):
    """Filters of the audit log (GET, no CSRF token: it changes nothing). A date out of range (1900-01-01)
    is refused by ZhForm, as on every form (core.forms.date_bounds)."""

    class Meta:
        csrf = False

    # Contexts: '项目' is a project here (a renovation item elsewhere), '操作' an audited action.
    project = SelectField(lazy_pgettext("project", "项目"), coerce=int, validators=[Optional()])
    user = StringField(_l("操作人用户名"),
                       validators=[Optional(), Length(max=64, message=_l("用户名不能超过64个字符。"))])
    action = StringField(lazy_pgettext("audit", "操作"), validators=[Optional(), Length(max=64, message=_l("操作名称不能超过64个字符。"))])
    since = DateField(_l("起始日期"), validators=[Optional()])
    until = DateField(_l("截止日期"), validators=[Optional()])
    page = IntegerField(_l("页码"), default=1, validators=[Optional(), NumberRange(1, 100000, _l("页码超出范围。"))])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("截止日期不能早于起始日期。"))


class OwnerSearchForm(ZhForm):
    """Find an owner by name, phone or room (GET)."""

    class Meta:
        csrf = False

    q = StringField(_l("姓名、电话或房号"),
                    validators=[Optional(), Length(max=64, message=_l("搜索内容不能超过64个字符。"))])


class EraseForm(ZhForm):
    """Confirm the anonymisation of one owner's personal data."""

    confirm = BooleanField(_l("我已核实本人申请，确认匿名处理（不可撤销）"),
                           validators=[DataRequired(_l("请勾选确认后再提交。"))])
    owner_id = IntegerField(validators=[Optional()])
