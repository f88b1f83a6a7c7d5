"""Forms of the voting area: create a ballot, vote (resident, with a confirm step), paper ballot entry."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from renovation.core.forms import MultiCheckboxField, ZhForm, int_or_none
from renovation.core.timeutil import SHANGHAI
from renovation.voting.models import CHOICE_LABELS, MATTER_CLASS_LABELS, BallotScope, Choice, MatterClass

SCOPE_LABELS = {BallotScope.COMPOUND: _l("全小区"), BallotScope.BUILDINGS: _l("部分楼栋"),
                BallotScope.ENTRANCE: _l("单个单元")}


class BallotForm(ZhForm):
    """A new ballot on candidate items; its rule follows the matter class (民法典 art. 278)."""

    title = StringField(_l("表决标题"), validators=[DataRequired(_l("请填写表决标题。")),
                                                  Length(max=128, message=_l("标题不能超过128字。"))])
    description = TextAreaField(_l("说明"), validators=[Length(max=2000, message=_l("说明不能超过2000字。"))])
    matter_class = SelectField(_l("表决事项类别"),
                               choices=[(m.value, _l(MATTER_CLASS_LABELS[m])) for m in MatterClass],
                               default=MatterClass.ORDINARY.value, invalid_choice_message=_l("请选择表决事项类别。"))
    item_ids = MultiCheckboxField(_l("候选改造内容"), coerce=int_or_none,
                                  invalid_choice_message=_l("所选内容不是本项目的候选改造内容。"))
    scope = RadioField(_l("表决范围"), choices=[(s.value, SCOPE_LABELS[s]) for s in BallotScope],
                       default=BallotScope.COMPOUND.value, invalid_choice_message=_l("请选择表决范围。"))
    building_ids = MultiCheckboxField(_l("楼栋（范围为部分楼栋时）"), coerce=int_or_none,
                                      invalid_choice_message=_l("请选择本小区的楼栋。"))
    entrance_id = SelectField(_l("单元（范围为单个单元时）"), coerce=int_or_none, validate_choice=False)
    closes_at = DateTimeLocalField(_l("截止时间（北京时间）"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(_l("请填写截止时间（年-月-日 时:分）。"))])

    def validate_item_ids(self, field):
        if not field.data:
            raise ValidationError(_l("请至少选择一项候选改造内容。"))

    def validate_building_ids(self, field):
        if self.scope.data == BallotScope.BUILDINGS.value and not field.data:
            raise ValidationError(_l("请选择参与表决的楼栋。"))

    def validate_entrance_id(self, field):
        if self.scope.data == BallotScope.ENTRANCE.value:
            if not field.data or field.data not in {c[0] for c in field.choices}:
                raise ValidationError(_l("请选择参与表决的单元。"))

    def closes_at_utc(self) -> datetime | None:
        """The closing time as an aware datetime (entered in Asia/Shanghai)."""
        return self.closes_at.data.replace(tzinfo=SHANGHAI) if self.closes_at.data else None


CHOICE_FIELD_CHOICES = [(c.value, CHOICE_LABELS[c]) for c in Choice]


IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "heic", "webp"]


def vote_form_class(ballot, *, paper: bool = False, proxy: bool = False):
    """A FlaskForm class with one required agree/against/abstain RadioField per ballot item (``item_<id>``),
    a hidden household_id and step; for paper entry a household select and an optional scan instead; for
    a proxy vote (委托投票) a household select, the delegate's name and the signed letter (required)."""
    staff = paper or proxy

    class VoteForm(ZhForm):
        step = HiddenField(default="review")
        household_id = (SelectField(_l("房屋"), coerce=int_or_none, validators=[InputRequired(_l("请选择房屋。"))],
                                    invalid_choice_message=_l("请从列表中选择本次表决范围内的房屋。")) if staff
                        else IntegerField(widget=widgets.HiddenInput(),
                                          validators=[InputRequired(_l("缺少房屋。"))]))
        if paper and not proxy:
            scan = FileField(_l("签字选票扫描件（替换该户在线投票时必填）"), validators=[
                Optional(), FileAllowed(IMAGE_EXTENSIONS, _l("请上传 JPG、PNG 或 HEIC 格式的图片。"))])
            reason = StringField(_l("替换原因（替换该户在线投票时必填，会告知该户）"), validators=[
                Optional(), Length(max=200, message=_l("替换原因不能超过200字。"))])
        if proxy:
            proxy_name = StringField(_l("受托人姓名"), validators=[DataRequired(_l("请填写受托人姓名。")),
                                                              Length(max=64, message=_l("姓名不能超过64字。"))])
            letter = FileField(_l("授权委托书（业主签字，拍照上传）"), validators=[
                FileRequired(_l("请上传业主签字的授权委托书。")),
                FileAllowed(IMAGE_EXTENSIONS, _l("请上传 JPG、PNG 或 HEIC 格式的图片。"))])

        def item_fields(self):
            """(BallotItem, its RadioField) in ballot order."""
            return [(item, self[f"item_{item.id}"]) for item in ballot.items]

        def choices_map(self) -> dict[int, Choice]:
            """BallotItem id -> Choice from the submitted data."""
            return {item.id: Choice(f.data) for item, f in self.item_fields()}

    for item in ballot.items:
        # The choice check doubles as "required": a missing or forged value gets the same message.
        setattr(VoteForm, f"item_{item.id}", RadioField(
            item.title, choices=CHOICE_FIELD_CHOICES,
            invalid_choice_message=_("请对“%(item)s”选择同意、反对或弃权。", item=item.title)))
    return VoteForm


class ReceiptLookupForm(ZhForm):
    """查询回执: the 8-character receipt code (GET, no CSRF needed: it changes nothing)."""

    class Meta:
        csrf = False

    code = StringField(_l("回执码"), validators=[DataRequired(_l("请输入回执码。")),
                                               Length(max=20, message=_l("回执码为8位。"))])


class PublishForm(ZhForm):
    """Publish a closed ballot's results for a notice period (days)."""

    notice_days = IntegerField(_l("公示天数"), default=7, validators=[InputRequired(_l("请填写公示天数。")),
                                                                  NumberRange(1, 30, _l("公示期应为1到30天。"))])


class ObjectionForm(ZhForm):
    """A resident's objection to the published results."""

    content = TextAreaField(_l("异议内容"), validators=[DataRequired(_l("请填写异议内容。")),
                                                    Length(max=1000, message=_l("异议内容不能超过1000字。"))])


class ObjectionAnswerForm(ZhForm):
    """The squad's answer to an objection."""

    answer = TextAreaField(_l("答复"), validators=[DataRequired(_l("请填写答复内容。")),
                                                 Length(max=2000, message=_l("答复不能超过2000字。"))])
