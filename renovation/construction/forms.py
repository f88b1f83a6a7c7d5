"""Forms of construction oversight: progress update, problem report and its loop, completion acceptance."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from renovation.construction.models import ACCEPTANCE_ROLE_LABELS
from renovation.core.forms import ZhForm
from renovation.projects.models import PROGRESS_STATUS_LABELS


class ProgressForm(ZhForm):
    """Progress of one item: percent (integer 0..100), status, note, optional photo."""

    percent = IntegerField(_l("完成进度（%）"), validators=[
        InputRequired(_l("请填写进度。")), NumberRange(min=0, max=100, message=_l("进度须在0到100之间。"))])
    status = SelectField(_l("状态"), choices=[(k.value, v) for k, v in PROGRESS_STATUS_LABELS.items()])
    note = TextAreaField(_l("说明"), validators=[Length(max=2000, message=_l("说明不能超过2000字。"))])
    photo = FileField(_l("现场照片（可选）"))


class ProblemForm(ZhForm):
    """A problem report: title, description, where (building/entrance), which item, optional photo.

    Choices of ``building_id``, ``entrance_id`` and ``project_item_id`` are set per project by the view
    (0 = not given).
    """

    title = StringField(_l("问题"), validators=[DataRequired(_l("请简要写明问题。")), Length(max=128)])
    description = TextAreaField(_l("详细描述"), validators=[Length(max=2000, message=_l("描述不能超过2000字。"))])
    building_id = SelectField(_l("楼栋"), coerce=int)
    entrance_id = SelectField(_l("单元"), coerce=int)
    project_item_id = SelectField(_l("涉及的改造项目"), coerce=int)
    photo = FileField(_l("照片（可选）"))


class AssignForm(ZhForm):
    """The squad assigns a problem to a firm with a deadline."""

    contractor_id = SelectField(_l("责任单位"), coerce=int, validators=[DataRequired(_l("请选择责任单位。"))])
    deadline = DateField(_l("整改期限"), validators=[DataRequired(_l("请填写整改期限。"))])
    note = TextAreaField(_l("交办说明"), validators=[Length(max=2000)])


class StepForm(ZhForm):
    """A step with a note and optional photo (rectified, verified)."""

    note = TextAreaField(_l("说明"), validators=[Length(max=2000, message=_l("说明不能超过2000字。"))])
    photo = FileField(_l("照片（可选）"))


class ReopenForm(ZhForm):
    """Reopen a rectified problem: say what is still wrong."""

    note = TextAreaField(_l("仍存在的问题"), validators=[
        DataRequired(_l("请说明为什么重新打开。")), Length(max=2000, message=_l("说明不能超过2000字。"))])


class AcceptanceForm(ZhForm):
    """Completion acceptance (竣工验收): date, overall result, for each role the organisation and person
    (``org_<role>``, ``person_<role>``), opinion, documents. Per-item results: ``acceptance_form_for``."""

    accepted_on = DateField(_l("验收日期"), validators=[DataRequired(_l("请填写验收日期。"))])
    passed = RadioField(_l("验收结论"), choices=[("yes", _l("通过")), ("no", _l("不通过"))],
                        validators=[DataRequired(_l("请选择验收结论。"))])
    note = TextAreaField(_l("验收意见"), validators=[Length(max=4000, message=_l("内容不能超过4000字。"))])
    documents = MultipleFileField(_l("验收资料（PDF 或照片，可多选）"))

    def participant_fields(self):
        """[(role, label, organisation field, person field)] in the order of ACCEPTANCE_ROLE_LABELS."""
        return [(role, label, self[f"org_{role.value}"], self[f"person_{role.value}"])
                for role, label in ACCEPTANCE_ROLE_LABELS.items()]


for _role, _label in ACCEPTANCE_ROLE_LABELS.items():
    setattr(AcceptanceForm, f"org_{_role.value}", StringField(_l("%(role)s名称", role=_label), validators=[
        Optional(), Length(max=128, message=_l("名称不能超过128字。"))]))
    setattr(AcceptanceForm, f"person_{_role.value}", StringField(_l("%(role)s人员", role=_label), validators=[
        Optional(), Length(max=64, message=_l("姓名不能超过64字。"))]))


class SiteLogForm(ZhForm):
    """The daily site log (施工日志): date, weather, workforce (people), work done, materials, safety, photos."""

    log_date = DateField(_l("日期"), validators=[DataRequired(_l("请填写日期。"))])
    weather = StringField(_l("天气"), validators=[DataRequired(_l("请填写天气，如：晴 18~26℃。")),
                                             Length(max=64, message=_l("天气不能超过64字。"))])
    workforce = IntegerField(_l("施工人数（人）"), validators=[
        InputRequired(_l("请填写施工人数。")), NumberRange(min=0, max=5000, message=_l("施工人数须在0到5000之间。"))])
    work_done = TextAreaField(_l("当日完成工作"), validators=[DataRequired(_l("请填写当日完成的工作。")),
                                                    Length(max=4000, message=_l("内容不能超过4000字。"))])
    materials = TextAreaField(_l("材料进场"), validators=[Length(max=2000, message=_l("内容不能超过2000字。"))])
    safety_notes = TextAreaField(_l("安全文明施工"), validators=[Length(max=2000, message=_l("内容不能超过2000字。"))])
    photos = MultipleFileField(_l("现场照片（可多选）"))


class InspectionStartForm(ZhForm):
    """Header of an inspection: date, which item and where (checklist chosen by the page's URL)."""

    inspected_on = DateField(_l("检查日期"), validators=[DataRequired(_l("请填写检查日期。"))])
    project_item_id = SelectField(_l("涉及的改造项目"), coerce=int)
    location = StringField(_l("部位（楼栋、单元等）"), validators=[Length(max=128, message=_l("部位不能超过128字。"))])
    note = TextAreaField(_l("检查说明"), validators=[Length(max=2000, message=_l("说明不能超过2000字。"))])


def inspection_form_for(lines) -> type[InspectionStartForm]:
    """A form class with, for each checklist line, ``line_<id>`` (合格/不合格) and ``note_<id>``."""

    class _Form(InspectionStartForm):
        pass

    for line in lines:
        setattr(_Form, f"line_{line.id}", RadioField(line.text, choices=[("pass", _l("合格")), ("fail", _l("不合格"))],
                                                     validators=[DataRequired(_l("请选择合格或不合格。"))]))
        setattr(_Form, f"note_{line.id}", StringField(_l("问题说明"), validators=[
            Length(max=500, message=_l("说明不能超过500字。"))]))
    return _Form


class ImportForm(ZhForm):
    """Upload of a filled-in progress sheet (.xlsx) for the preview."""

    sheet = FileField(_l("进度表（.xlsx）"))


class ApplyImportForm(ZhForm):
    """Confirmation of a previewed import: the checked rows as JSON (checked again on apply)."""

    rows = HiddenField(validators=[DataRequired(_l("没有可导入的数据。"))])


def acceptance_form_for(items) -> type["AcceptanceForm"]:
    """The acceptance form with, per adopted item, ``item_<id>`` (合格/不合格) and ``item_note_<id>``."""

    class _Form(AcceptanceForm):
        pass

    for item in items:
        setattr(_Form, f"item_{item.id}", RadioField(item.name, choices=[("pass", _l("合格")), ("fail", _l("不合格"))],
                                                     validators=[DataRequired(_l("请选择该项目的验收结果。"))]))
        setattr(_Form, f"item_note_{item.id}", StringField(_l("意见"), validators=[
            Length(max=500, message=_l("意见不能超过500字。"))]))
    return _Form
