"""Forms of the plan pages: the plan, an item's quantities and funding, firms, milestones, notice, objections.

Forms check the shape of input; business rules (funding within budget, notice over) live in services.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from renovation.core.forms import ZhForm
from renovation.planning.models import CONTRACTOR_KIND_LABELS, FUNDING_KIND_LABELS, FundingKind


def _money(label: str):
    return DecimalField(label, places=2, validators=[
        Optional(), NumberRange(min=0, max=10**11, message=_l("金额须为0或正数（元）。"))])


class PlanForm(ZhForm):
    """Create a plan: title and summary."""

    title = StringField(_l("方案名称"), validators=[DataRequired(_l("请填写方案名称。")), Length(max=128)])
    summary = TextAreaField(_l("方案说明"), validators=[Length(max=5000, message=_l("说明不能超过5000字。"))])


class ItemPlanForm(ZhForm):
    """One adopted item in the plan: quantity with unit, unit price, budget (yuan), firm, dates and
    one amount (yuan) per funding source (fields ``fund_<kind>``, added below)."""

    quantity = DecimalField(_l("工程量"), places=2, validators=[
        Optional(), NumberRange(min=0, message=_l("工程量须为0或正数。"))])
    unit = StringField(_l("单位"), validators=[Length(max=16, message=_l("单位不能超过16个字。"))])
    unit_price = _money(_l("单价（元）"))
    budget = _money(_l("预算（元）"))
    contractor_id = SelectField(_l("责任单位"), coerce=int, validate_choice=True)
    planned_start = DateField(_l("计划开工"), validators=[Optional()])
    planned_end = DateField(_l("计划完工"), validators=[Optional()])

    def validate_planned_end(self, field):
        if field.data and self.planned_start.data and field.data < self.planned_start.data:
            raise ValidationError(_("计划完工日期不能早于计划开工日期。"))

    def funding_fields(self):
        """(FundingKind, field) pairs in the order of FUNDING_KIND_LABELS."""
        return [(kind, getattr(self, f"fund_{kind.value}")) for kind in FundingKind]


for _kind, _label in FUNDING_KIND_LABELS.items():
    setattr(ItemPlanForm, f"fund_{_kind.value}", _money(_label))


class ContractorForm(ZhForm):
    """A firm of the project: name, kind, contact."""

    name = StringField(_l("单位名称"), validators=[DataRequired(_l("请填写单位名称。")), Length(max=128)])
    kind = SelectField(_l("类别"), choices=[(k.value, v) for k, v in CONTRACTOR_KIND_LABELS.items()])
    contact_name = StringField(_l("联系人"), validators=[Length(max=64)])
    contact_phone = StringField(_l("联系电话"), validators=[Length(max=32)])


class MilestoneForm(ZhForm):
    """A dated point of the schedule."""

    title = StringField(_l("节点"), validators=[DataRequired(_l("请填写节点名称。")), Length(max=128)])
    due_on = DateField(_l("计划日期"), validators=[DataRequired(_l("请填写计划日期。"))])


class NoticeForm(ZhForm):
    """Post the plan for public notice (方案公示): first day, length in days, optional photo of the board."""

    starts_on = DateField(_l("公示开始日期"), validators=[DataRequired(_l("请填写公示开始日期。"))])
    days = IntegerField(_l("公示天数"), validators=[
        DataRequired(_l("请填写公示天数。")), NumberRange(min=1, max=60, message=_l("公示天数须在1到60天之间。"))])
    photo = FileField(_l("公示照片（可选）"))


class ObjectionForm(ZhForm):
    """A resident's objection to the posted plan."""

    content = TextAreaField(_l("意见内容"), validators=[
        DataRequired(_l("请填写您的意见。")), Length(max=2000, message=_l("意见不能超过2000字。"))])


class PaperObjectionForm(ZhForm):
    """An objection received on paper, entered by the squad: who gave it and what it says."""

    author_name = StringField(_l("提出人"), validators=[DataRequired(_l("请填写提出人。")), Length(max=64)])
    content = TextAreaField(_l("意见内容"), validators=[
        DataRequired(_l("请填写意见内容。")), Length(max=2000, message=_l("意见不能超过2000字。"))])


class AnswerForm(ZhForm):
    """The squad's answer to an objection."""

    answer = TextAreaField(_l("答复"), validators=[
        DataRequired(_l("请填写答复内容。")), Length(max=2000, message=_l("答复不能超过2000字。"))])
