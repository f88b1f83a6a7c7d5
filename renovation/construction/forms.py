"""Forms of construction oversight: progress update, problem report and its loop, completion acceptance."""

from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from renovation.core.forms import ZhForm
from renovation.projects.models import PROGRESS_STATUS_LABELS


class ProgressForm(ZhForm):
    """Progress of one item: percent (integer 0..100), status, note, optional photo."""

    percent = IntegerField("完成进度（%）", validators=[
        InputRequired("请填写进度。"), NumberRange(min=0, max=100, message="进度须在0到100之间")])
    status = SelectField("状态", choices=[(k.value, v) for k, v in PROGRESS_STATUS_LABELS.items()])
    note = TextAreaField("说明", validators=[Length(max=2000, message="说明不能超过2000字。")])
    photo = FileField("现场照片（可选）")


class ProblemForm(ZhForm):
    """A problem report: title, description, where (building/entrance), which item, optional photo.

    Choices of ``building_id``, ``entrance_id`` and ``project_item_id`` are set per project by the view
    (0 = not given).
    """

    title = StringField("问题", validators=[DataRequired("请简要写明问题。"), Length(max=128)])
    description = TextAreaField("详细描述", validators=[Length(max=2000, message="描述不能超过2000字。")])
    building_id = SelectField("楼栋", coerce=int)
    entrance_id = SelectField("单元", coerce=int)
    project_item_id = SelectField("涉及的改造项目", coerce=int)
    photo = FileField("照片（可选）")


class AssignForm(ZhForm):
    """The squad assigns a problem to a firm with a deadline."""

    contractor_id = SelectField("责任单位", coerce=int, validators=[DataRequired("请选择责任单位。")])
    deadline = DateField("整改期限", validators=[DataRequired("请填写整改期限。")])
    note = TextAreaField("交办说明", validators=[Length(max=2000)])


class StepForm(ZhForm):
    """A step with a note and optional photo (rectified, verified)."""

    note = TextAreaField("说明", validators=[Length(max=2000, message="说明不能超过2000字。")])
    photo = FileField("照片（可选）")


class ReopenForm(ZhForm):
    """Reopen a rectified problem: say what is still wrong."""

    note = TextAreaField("仍存在的问题", validators=[
        DataRequired("请说明为什么重新打开。"), Length(max=2000, message="说明不能超过2000字。")])


class AcceptanceForm(ZhForm):
    """Completion acceptance (竣工验收): date, passed, participants (one per line), note."""

    accepted_on = DateField("验收日期", validators=[DataRequired("请填写验收日期。")])
    passed = RadioField("验收结论", choices=[("yes", "通过"), ("no", "不通过")],
                        validators=[DataRequired("请选择验收结论。")])
    participants = TextAreaField("参加单位和人员（每行一个）", validators=[
        Optional(), Length(max=4000, message="内容不能超过4000字。")])
    note = TextAreaField("验收意见", validators=[Length(max=4000, message="内容不能超过4000字。")])
