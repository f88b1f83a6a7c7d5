"""The filter form of the compound list, the dashboard and the ledgers (GET, no CSRF: it changes nothing)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from renovation.core.forms import ZhForm
from renovation.dashboard.rules import STATUS_LABELS, STATUS_ORDER, Status
from renovation.dashboard.services import SORTS, Filters
from renovation.projects.rules import STAGE_LABELS, STAGE_ORDER, Stage


class CompoundFilterForm(ZhForm):
    """Stage, batch, community, status, search, sort and page; batch and community choices are the
    ones the user may see (``set_choices``), so a forged id is refused as an invalid choice."""

    class Meta(ZhForm.Meta):
        csrf = False

    q = StringField(_l("搜索"), validators=[Optional(), Length(max=50, message=_l("搜索词不能超过50个字。"))],
                    render_kw={"placeholder": _l("小区名、地址或拼音首字母")})
    stage = SelectField(_l("阶段"), choices=[("", _l("全部阶段"))] + [(s.value, STAGE_LABELS[s]) for s in STAGE_ORDER],
                        default="")
    batch = SelectField(_l("批次"), choices=[("", _l("全部批次"))], default="")
    community = SelectField(_l("社区"), choices=[("", _l("全部社区"))], default="")
    status = SelectField(_l("状态"), choices=[("", _l("全部状态"))] + [(s.value, STATUS_LABELS[s]) for s in STATUS_ORDER],
                         default="")
    sort = SelectField(_l("排序"), choices=list(SORTS.items()), default="status")
    page = IntegerField(_l("页码"), validators=[Optional(), NumberRange(min=1, max=100000,
                                                                       message=_l("页码须在1到100000之间。"))])

    def set_choices(self, batches: list[tuple[int, str]], communities: list[tuple[int, str]]) -> None:
        """Fill the batch and community choices with (id, name) pairs."""
        self.batch.choices = [("", _("全部批次"))] + [(str(i), n) for i, n in batches]
        self.community.choices = [("", _("全部社区"))] + [(str(i), n) for i, n in communities]

    def to_filters(self) -> Filters:
        """The validated values as Filters (call after ``validate()`` succeeded)."""
        return Filters(
            stage=Stage(self.stage.data) if self.stage.data else None,
            batch_id=int(self.batch.data) if self.batch.data else None,
            community_id=int(self.community.data) if self.community.data else None,
            status=Status(self.status.data) if self.status.data else None,
            q=(self.q.data or "").strip(),
            sort=self.sort.data or "status",
            page=self.page.data or 1,
        )
