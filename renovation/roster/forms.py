"""Forms of the household register: add/correct a dwelling, mark it moved out, import a register file."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from renovation.core.forms import ZhForm, int_or_none
from renovation.org import rules
from renovation.org.models import OWNER_TYPE_LABELS, OwnerType


class HouseholdForm(ZhForm):
    """One dwelling of the register: where it is, its exclusive area (m²), owner, contact and voter."""

    entrance_id = SelectField(_l("楼栋单元"), coerce=int_or_none, validators=[InputRequired(_l("请选择楼栋单元。"))],
                              invalid_choice_message=_l("请选择本小区的楼栋单元。"))
    floor = IntegerField(_l("楼层"), validators=[InputRequired(_l("请填写楼层。")),
                                           NumberRange(-5, 99, _l("楼层应在 -5 到 99 之间。"))])
    room = StringField(_l("房号"), validators=[DataRequired(_l("请填写房号，如 501。")), Length(max=16, message=_l("房号不能超过16字。"))])
    area = DecimalField(_l("专有部分面积（m²）"), places=2,
                        validators=[InputRequired(_l("请填写面积（平方米）。")),
                                    NumberRange(0.01, 9999.99, _l("面积应在 0.01 到 9999.99 平方米之间。"))])
    owner_name = StringField(_l("业主姓名"), validators=[DataRequired(_l("请填写业主姓名。")), Length(max=64, message=_l("姓名不能超过64字。"))])
    owner_type = SelectField(_l("业主类型"), choices=[(t.value, OWNER_TYPE_LABELS[t]) for t in OwnerType],
                             default=OwnerType.PRIVATE.value, invalid_choice_message=_l("请选择业主类型。"))
    co_owner_names = StringField(_l("共有人（可选，用“、”分隔）"), validators=[Length(max=128, message=_l("不能超过128字。"))])
    voter_name = StringField(_l("指定投票人（默认为业主本人）"), validators=[Length(max=64, message=_l("不能超过64字。"))])
    phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=32, message=_l("电话不能超过32个字符。"))])
    id_number = StringField(_l("身份证号（可选）"), validators=[
        Optional(), Regexp(r"^(\d{15}|\d{17}[\dXx])$", message=_l("身份证号应为15位或18位（末位可为X）。"))])

    def validate_phone(self, field):
        value = (field.data or "").replace(" ", "")
        if value and not rules.is_phone(value):
            raise ValidationError(_("电话号码格式不对，如 13800001111 或 0371-61234567。"))
        field.data = value


class HouseholdEditForm(HouseholdForm):
    """A correction of a dwelling: the same fields plus the reason kept in its history."""

    reason = StringField(_l("更正原因"), validators=[DataRequired(_l("请填写更正原因（将记入历史）。")),
                                             Length(max=200, message=_l("原因不能超过200字。"))])


class MoveOutForm(ZhForm):
    """Mark a dwelling moved out of the register, from a day, with the reason. Its fields have their own
    ids: the dwelling's page also holds the correction form, whose field 'reason' has the id 'reason'."""

    on = DateField(_l("迁出日期"), id="move_out_on", validators=[InputRequired(_l("请填写迁出日期。"))])
    reason = TextAreaField(_l("迁出原因"), id="move_out_reason", validators=[
        DataRequired(_l("请填写迁出原因。")), Length(max=200, message=_l("原因不能超过200字。"))])


class ReinstateForm(ZhForm):
    """Put a moved-out dwelling back on the register, with the reason (its own field id, as above)."""

    reason = StringField(_l("恢复原因"), id="reinstate_reason", validators=[
        DataRequired(_l("请填写恢复原因。")), Length(max=200, message=_l("原因不能超过200字。"))])


class ImportForm(ZhForm):
    """Upload of a register file (.xlsx or .csv) for the preview."""

    file = FileField(_l("花名册文件（.xlsx 或 .csv）"), validators=[
        FileRequired(_l("请选择要导入的文件。")),
        FileAllowed(["xlsx", "csv", "txt"], _l("请上传 .xlsx 或 .csv 格式的花名册。"))])
