"""Forms of post-handover management: facilities, handover, property contract, repair requests,
community activities and the satisfaction survey."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, DecimalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from renovation.aftercare.models import (
    ACTIVITY_KIND_LABELS,
    FACILITY_STATUS_LABELS,
    SATISFACTION_MODE_LABELS,
)
from renovation.core.forms import ZhForm


class FacilityForm(ZhForm):
    """A facility with its partner; area in m² (optional, 0..100,000); counted provisions one per line."""

    name = StringField(_l("设施名称"), validators=[DataRequired(_l("请填写设施名称。")), Length(max=128)])
    kind = StringField(_l("类型"), validators=[Optional(), Length(max=64)])
    partner_name = StringField(_l("合作单位"), validators=[Optional(), Length(max=128)])
    area = DecimalField(_l("面积（m²）"), places=2, validators=[
        Optional(), NumberRange(min=0, max=100000, message=_l("面积须在0到100000 m²之间。"))],
        render_kw={"inputmode": "decimal"})
    size_note = StringField(_l("规模说明（如 28米×15米）"), validators=[Optional(), Length(max=64)])
    provision = TextAreaField(_l("提供内容"), validators=[Optional(), Length(max=1000)])
    counted = TextAreaField(_l("配置数量（每行一项，如“图书 3000 册”）"), validators=[Optional(), Length(max=1000)])
    status = SelectField(_l("开放状态"), choices=list(FACILITY_STATUS_LABELS.items()), default="已开放")
    opening_hours = StringField(_l("开放时间"), validators=[Optional(), Length(max=64)])
    opened_on = DateField(_l("开放日期"), validators=[Optional()])


class HandoverForm(ZhForm):
    """A line of the handover checklist: asset, receiving operator, planned date."""

    asset = StringField(_l("移交资产"), validators=[DataRequired(_l("请填写移交的资产，如“庭院燃气管网”。")), Length(max=128)])
    receiver = StringField(_l("接收单位"), validators=[DataRequired(_l("请填写接收单位，如燃气公司。")), Length(max=128)])
    planned_on = DateField(_l("计划移交日期"), validators=[Optional()])
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])


class HandoverSignForm(ZhForm):
    """The handover signed: date and who signed for each side."""

    handed_on = DateField(_l("移交日期"), validators=[DataRequired(_l("请填写移交日期。"))])
    giver_signatory = StringField(_l("移交方签字人"), validators=[DataRequired(_l("请填写移交方签字人。")), Length(max=64)])
    receiver_signatory = StringField(_l("接收方签字人"), validators=[DataRequired(_l("请填写接收方签字人。")), Length(max=64)])
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])


class HandoverDocumentForm(ZhForm):
    """A scanned document of a handover (photo of the signed sheet)."""

    title = StringField(_l("资料名称"), validators=[DataRequired(_l("请填写资料名称，如“移交确认书”。")), Length(max=128)])
    scan = FileField(_l("扫描件或照片"))


class ContractForm(ZhForm):
    """The property-management contract: company, period, fee in yuan per m² per month, scope."""

    company = StringField(_l("物业服务企业"), validators=[DataRequired(_l("请填写物业服务企业名称。")), Length(max=128)])
    contact_phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=32)])
    starts_on = DateField(_l("合同开始"), validators=[DataRequired(_l("请填写合同开始日期。"))])
    ends_on = DateField(_l("合同结束"), validators=[DataRequired(_l("请填写合同结束日期。"))])
    fee_per_m2 = DecimalField(_l("物业费（元/m²·月）"), places=2, validators=[
        InputRequired(_l("请填写物业费。")), NumberRange(min=0, max=20, message=_l("物业费须在0到20元/m²·月之间。"))],
        render_kw={"inputmode": "decimal"})
    scope = TextAreaField(_l("服务内容"), validators=[Optional(), Length(max=2000)])

    def validate_ends_on(self, field):
        """The period must not end before it starts."""
        from wtforms.validators import ValidationError

        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_("合同结束日期不能早于开始日期。"))


class RepairTargetForm(ZhForm):
    """An administrator sets a category's target time to close, in hours."""

    name = StringField(_l("报修类别"), validators=[DataRequired(_l("请填写类别名称。")), Length(max=32)])
    target_hours = IntegerField(_l("处理时限（小时）"), validators=[
        InputRequired(_l("请填写处理时限。")), NumberRange(min=1, max=720, message=_l("处理时限须在1到720小时之间。"))])


class RepairForm(ZhForm):
    """A resident's repair request: category (choices set by the view), location, description, photo."""

    category_id = SelectField(_l("报修类别"), coerce=int, validators=[DataRequired(_l("请选择报修类别。"))])
    location = StringField(_l("位置"), validators=[DataRequired(_l("请写明位置，如“3号楼2单元楼道”。")), Length(max=128)])
    description = TextAreaField(_l("问题描述"), validators=[Optional(), Length(max=2000, message=_l("描述不能超过2000字。"))])
    photo = FileField(_l("照片（可选）"))


class RepairHandleForm(ZhForm):
    """The squad accepts or closes a repair request."""

    action = RadioField(_l("处理"), choices=[("accept", _l("受理（开始处理）")), ("done", _l("办结"))],
                        validators=[DataRequired(_l("请选择处理方式。"))])
    note = TextAreaField(_l("处理结果"), validators=[Optional(), Length(max=2000)])


class ActivityForm(ZhForm):
    """A community activity: kind, title, date, organiser, participants (people), photos."""

    kind = SelectField(_l("类型"), choices=[(k.value, v) for k, v in ACTIVITY_KIND_LABELS.items()])
    title = StringField(_l("活动名称"), validators=[DataRequired(_l("请填写活动名称。")), Length(max=128)])
    held_on = DateField(_l("活动日期"), validators=[DataRequired(_l("请填写活动日期。"))])
    organiser = StringField(_l("组织单位"), validators=[DataRequired(_l("请填写组织单位。")), Length(max=128)])
    participants = IntegerField(_l("参加人数"), validators=[
        InputRequired(_l("请填写参加人数。")), NumberRange(min=0, max=100000, message=_l("参加人数须在0到100000之间。"))])
    description = TextAreaField(_l("活动内容"), validators=[Optional(), Length(max=2000)])
    photos = MultipleFileField(_l("活动照片（可多选）"))


_SCORES = [("5", _l("5 非常满意")), ("4", _l("4 满意")), ("3", _l("3 一般")), ("2", _l("2 不满意")), ("1", _l("1 很不满意"))]


class SatisfactionForm(ZhForm):
    """A household's answer: three scores 1-5 and a comment."""

    content_score = RadioField(_l("对改造内容的满意度"), choices=_SCORES, validators=[DataRequired(_l("请为改造内容打分。"))])
    process_score = RadioField(_l("对改造过程（施工、沟通）的满意度"), choices=_SCORES,
                         validators=[DataRequired(_l("请为改造过程打分。"))])
    management_score = RadioField(_l("对改造后长效管理（物业、设施）的满意度"), choices=_SCORES,
                            validators=[DataRequired(_l("请为长效管理打分。"))])
    comment = TextAreaField(_l("意见和建议（可选）"), validators=[Optional(), Length(max=1000, message=_l("不能超过1000字。"))])


class SurveySettingsForm(ZhForm):
    """Open the survey with its setting: gate or report figure, and the gate's thresholds."""

    title = StringField(_l("测评名称"), default="改造满意度测评", validators=[DataRequired(_l("请填写名称。")), Length(max=128)])
    mode = RadioField(_l("测评结果用途"), choices=[(k.value, v) for k, v in SATISFACTION_MODE_LABELS.items()],
                      default="report", validators=[DataRequired(_l("请选择测评结果用途。"))])
    min_mean = DecimalField(_l("达标综合平均分（1-5）"), places=2, default=4, validators=[
        InputRequired(_l("请填写达标平均分。")), NumberRange(min=1, max=5, message=_l("达标平均分须在1到5分之间。"))])
    min_response_rate = IntegerField(_l("参评率要求（%）"), default=50, validators=[
        InputRequired(_l("请填写参评率要求。")), NumberRange(min=0, max=100, message=_l("参评率要求须在0到100之间。"))])
