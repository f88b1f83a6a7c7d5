"""Forms of post-handover management: facilities, handover, property contract, repair requests,
community activities and the satisfaction survey."""

from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, DecimalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from renovation.aftercare.models import (
    ACTIVITY_KIND_LABELS,
    FACILITY_STATUSES,
    SATISFACTION_MODE_LABELS,
)
from renovation.core.forms import ZhForm


class FacilityForm(ZhForm):
    """A facility with its partner; area in m² (optional, 0..100,000); counted provisions one per line."""

    name = StringField("设施名称", validators=[DataRequired("请填写设施名称。"), Length(max=128)])
    kind = StringField("类型", validators=[Optional(), Length(max=64)])
    partner_name = StringField("合作单位", validators=[Optional(), Length(max=128)])
    area = DecimalField("面积（m²）", places=2, validators=[
        Optional(), NumberRange(min=0, max=100000, message="面积须在0到100000 m²之间。")],
        render_kw={"inputmode": "decimal"})
    size_note = StringField("规模说明（如 28米×15米）", validators=[Optional(), Length(max=64)])
    provision = TextAreaField("提供内容", validators=[Optional(), Length(max=1000)])
    counted = TextAreaField("配置数量（每行一项，如“图书 3000 册”）", validators=[Optional(), Length(max=1000)])
    status = SelectField("开放状态", choices=[(s, s) for s in FACILITY_STATUSES], default="已开放")
    opening_hours = StringField("开放时间", validators=[Optional(), Length(max=64)])
    opened_on = DateField("开放日期", validators=[Optional()])


class HandoverForm(ZhForm):
    """A line of the handover checklist: asset, receiving operator, planned date."""

    asset = StringField("移交资产", validators=[DataRequired("请填写移交的资产，如“庭院燃气管网”。"), Length(max=128)])
    receiver = StringField("接收单位", validators=[DataRequired("请填写接收单位，如燃气公司。"), Length(max=128)])
    planned_on = DateField("计划移交日期", validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class HandoverSignForm(ZhForm):
    """The handover signed: date and who signed for each side."""

    handed_on = DateField("移交日期", validators=[DataRequired("请填写移交日期。")])
    giver_signatory = StringField("移交方签字人", validators=[DataRequired("请填写移交方签字人。"), Length(max=64)])
    receiver_signatory = StringField("接收方签字人", validators=[DataRequired("请填写接收方签字人。"), Length(max=64)])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class HandoverDocumentForm(ZhForm):
    """A scanned document of a handover (photo of the signed sheet)."""

    title = StringField("资料名称", validators=[DataRequired("请填写资料名称，如“移交确认书”。"), Length(max=128)])
    scan = FileField("扫描件或照片")


class ContractForm(ZhForm):
    """The property-management contract: company, period, fee in yuan per m² per month, scope."""

    company = StringField("物业服务企业", validators=[DataRequired("请填写物业服务企业名称。"), Length(max=128)])
    contact_phone = StringField("联系电话", validators=[Optional(), Length(max=32)])
    starts_on = DateField("合同开始", validators=[DataRequired("请填写合同开始日期。")])
    ends_on = DateField("合同结束", validators=[DataRequired("请填写合同结束日期。")])
    fee_per_m2 = DecimalField("物业费（元/m²·月）", places=2, validators=[
        InputRequired("请填写物业费。"), NumberRange(min=0, max=20, message="物业费须在0到20元/m²·月之间。")],
        render_kw={"inputmode": "decimal"})
    scope = TextAreaField("服务内容", validators=[Optional(), Length(max=2000)])

    def validate_ends_on(self, field):
        """The period must not end before it starts."""
        from wtforms.validators import ValidationError

        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("合同结束日期不能早于开始日期。")


class RepairTargetForm(ZhForm):
    """An administrator sets a category's target time to close, in hours."""

    name = StringField("报修类别", validators=[DataRequired("请填写类别名称。"), Length(max=32)])
    target_hours = IntegerField("处理时限（小时）", validators=[
        InputRequired("请填写处理时限。"), NumberRange(min=1, max=720, message="处理时限须在1到720小时之间。")])


class RepairForm(ZhForm):
    """A resident's repair request: category (choices set by the view), location, description, photo."""

    category_id = SelectField("报修类别", coerce=int, validators=[DataRequired("请选择报修类别。")])
    location = StringField("位置", validators=[DataRequired("请写明位置，如“3号楼2单元楼道”。"), Length(max=128)])
    description = TextAreaField("问题描述", validators=[Optional(), Length(max=2000, message="描述不能超过2000字。")])
    photo = FileField("照片（可选）")


class RepairHandleForm(ZhForm):
    """The squad accepts or closes a repair request."""

    action = RadioField("处理", choices=[("accept", "受理（开始处理）"), ("done", "办结")],
                        validators=[DataRequired("请选择处理方式。")])
    note = TextAreaField("处理结果", validators=[Optional(), Length(max=2000)])


class ActivityForm(ZhForm):
    """A community activity: kind, title, date, organiser, participants (people), photos."""

    kind = SelectField("类型", choices=[(k.value, v) for k, v in ACTIVITY_KIND_LABELS.items()])
    title = StringField("活动名称", validators=[DataRequired("请填写活动名称。"), Length(max=128)])
    held_on = DateField("活动日期", validators=[DataRequired("请填写活动日期。")])
    organiser = StringField("组织单位", validators=[DataRequired("请填写组织单位。"), Length(max=128)])
    participants = IntegerField("参加人数", validators=[
        InputRequired("请填写参加人数。"), NumberRange(min=0, max=100000, message="参加人数须在0到100000之间。")])
    description = TextAreaField("活动内容", validators=[Optional(), Length(max=2000)])
    photos = MultipleFileField("活动照片（可多选）")


_SCORES = [("5", "5 非常满意"), ("4", "4 满意"), ("3", "3 一般"), ("2", "2 不满意"), ("1", "1 很不满意")]


class SatisfactionForm(ZhForm):
    """A household's answer: three scores 1-5 and a comment."""

    content_score = RadioField("对改造内容的满意度", choices=_SCORES, validators=[DataRequired("请为改造内容打分。")])
    process_score = RadioField("对改造过程（施工、沟通）的满意度", choices=_SCORES,
                         validators=[DataRequired("请为改造过程打分。")])
    management_score = RadioField("对改造后长效管理（物业、设施）的满意度", choices=_SCORES,
                            validators=[DataRequired("请为长效管理打分。")])
    comment = TextAreaField("意见和建议（可选）", validators=[Optional(), Length(max=1000, message="不能超过1000字。")])


class SurveySettingsForm(ZhForm):
    """Open the survey with its setting: gate or report figure, and the gate's thresholds."""

    title = StringField("测评名称", default="改造满意度测评", validators=[DataRequired("请填写名称。"), Length(max=128)])
    mode = RadioField("测评结果用途", choices=[(k.value, v) for k, v in SATISFACTION_MODE_LABELS.items()],
                      default="report", validators=[DataRequired("请选择测评结果用途。")])
    min_mean = DecimalField("达标综合平均分（1-5）", places=2, default=4, validators=[
        InputRequired("请填写达标平均分。"), NumberRange(min=1, max=5, message="达标平均分须在1到5分之间。")])
    min_response_rate = IntegerField("参评率要求（%）", default=50, validators=[
        InputRequired("请填写参评率要求。"), NumberRange(min=0, max=100, message="参评率要求须在0到100之间。")])
