"""Forms of the temporary Party branch: branch, members, posts, tags, meetings, decisions, tasks and the
members' activity log. Choices that depend on the branch are set by the views."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from renovation.core.forms import ZhForm
from renovation.party.models import MEMBER_ACTIVITY_LABELS, MEMBER_POSTS
from renovation.projects.rules import STAGE_ORDER


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (big touch targets instead of a multi-select box)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Only the offered values are accepted (message in the reader's language)."""
        values = {v for v, _ in self.choices}
        for d in self.data or []:
            if d not in values:
                raise ValidationError(_("所选项目无效，请刷新页面后重试。"))


class BranchForm(ZhForm):
    """Set up the branch: name, founding date, whether to start with the five 一针引五线 tags."""

    name = StringField(_l("支部名称"), validators=[DataRequired(_l("请填写支部名称。")), Length(max=128)])
    founded_on = DateField(_l("成立日期"), validators=[Optional()])
    five_threads = BooleanField(_l("预置“一针引五线”五个标签"), default=True)


class MemberForm(ZhForm):
    """A member: name, post, home unit, resident Party member or not."""

    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=64)])
    post = SelectField(_l("职务"), choices=list(MEMBER_POSTS.items()), default="党员")
    home_unit = StringField(_l("所在单位（街道、社区或小区）"), validators=[Optional(), Length(max=128)])
    is_resident = BooleanField(_l("本小区居民党员"))


class PostForm(ZhForm):
    """A vanguard post (党员先锋岗): name, holder (member ids set by the view, 0 = none yet), duty."""

    name = StringField(_l("岗位名称"), validators=[DataRequired(_l("请填写岗位名称，如“燃气入户宣传岗”。")), Length(max=64)])
    holder_id = SelectField(_l("负责党员"), coerce=int)
    duty = TextAreaField(_l("岗位职责"), validators=[Optional(), Length(max=1000)])


class TagForm(ZhForm):
    """A tag of the branch's own method."""

    name = StringField(_l("标签"), validators=[DataRequired(_l("请填写标签名称。")), Length(max=32)])
    description = StringField(lazy_pgettext("tag", "说明"), validators=[Optional(), Length(max=256)])


class MeetingForm(ZhForm):
    """A branch meeting (e.g. 周例会): date, title, members present (or a head count), expected, agenda, minutes."""

    held_on = DateField(_l("日期"), validators=[DataRequired(_l("请填写日期（年-月-日）。"))])
    title = StringField(_l("会议名称"), default="周例会", validators=[DataRequired(_l("请填写会议名称。")), Length(max=128)])
    present = MultiCheckboxField(_l("出席人员"), coerce=int)
    attendees = IntegerField(_l("实到人数（未勾选出席人员时填写）"), validators=[
        Optional(), NumberRange(min=0, max=500, message=_l("人数须在0到500之间。"))])
    expected = IntegerField(_l("应到人数"), validators=[
        DataRequired(_l("请填写应到人数。")), NumberRange(min=1, max=500, message=_l("人数须在1到500之间。"))])
    agenda = TextAreaField(_l("议程"), validators=[Optional(), Length(max=2000)])
    minutes = TextAreaField(_l("会议纪要"), validators=[Optional(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        """A head count or a list of those present is needed, and no more than expected."""
        ok = super().validate(extra_validators)
        if not ok:
            return False
        count = len(self.present.data) if self.present.data else self.attendees.data
        if count is None:
            self.attendees.errors.append(_("请勾选出席人员或填写实到人数。"))
            return False
        if count > self.expected.data:
            self.attendees.errors.append(_("实到人数不能多于应到人数。"))
            return False
        return True


class DecisionForm(ZhForm):
    """A decision of a meeting, to follow up: text, owner (member ids set by the view), deadline."""

    decision = TextAreaField(_l("决定事项"), validators=[DataRequired(_l("请填写决定事项。")), Length(max=1000)])
    owner_id = SelectField(_l("责任人"), coerce=int, validators=[DataRequired(_l("请选择责任人。"))])
    deadline = DateField(_l("完成期限"), validators=[DataRequired(_l("请填写完成期限。"))])


class TaskDoneForm(ZhForm):
    """A follow-up task done: date and note."""

    done_on = DateField(_l("办结日期"), validators=[DataRequired(_l("请填写办结日期。"))])
    note = TextAreaField(_l("办理情况"), validators=[Optional(), Length(max=1000)])


class MemberActivityForm(ZhForm):
    """A member's activity: member, kind, stage, date, summary, household, problem report, tags."""

    member_id = SelectField(_l("党员"), coerce=int, validators=[DataRequired(_l("请选择党员。"))])
    kind = SelectField(_l("类型"), choices=[(k.value, v) for k, v in MEMBER_ACTIVITY_LABELS.items()])
    stage = SelectField(_l("所处阶段"), choices=lambda: [(s.value, s.label) for s in STAGE_ORDER])
    happened_on = DateField(_l("日期"), validators=[DataRequired(_l("请填写日期。"))])
    summary = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写活动内容。")), Length(max=2000)])
    household = StringField(_l("涉及住户（可选，如 3号楼2单元501）"), validators=[Optional(), Length(max=32)])
    problem_id = SelectField(_l("涉及问题（可选）"), coerce=int)
    tags = MultiCheckboxField(_l("标签"), coerce=int)


class CountsFilterForm(ZhForm):
    """The period of the activity counts (GET, no CSRF)."""

    class Meta:
        csrf = False

    start = DateField(_l("从"), validators=[Optional()])
    end = DateField(_l("到"), validators=[Optional()])

