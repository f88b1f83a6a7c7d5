"""Forms of the wish survey: a resident's own answer, a paper answer entered by the squad."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from renovation.core.forms import MultiCheckboxField, ZhForm, int_or_none  # noqa: F401  (re-exported)


class WishAnswerForm(ZhForm):
    """One household's answer: consent yes/no, wanted items (active catalogue), comment."""

    # The choice check doubles as "required" (one message for a missing or forged value).
    consent = RadioField(_l("您是否同意本小区实施改造？"), choices=[("yes", _l("同意改造")), ("no", _l("不同意"))],
                         invalid_choice_message=_l("请选择是否同意改造。"))
    items = MultiCheckboxField(_l("您希望改造哪些内容？（可多选）"), coerce=int_or_none,
                               invalid_choice_message=_l("所选改造内容不在当前清单中，请刷新页面后重新选择。"))
    comment = TextAreaField(_l("意见和建议"), validators=[Length(max=1000, message=_l("意见不能超过1000字。"))])

    def set_catalogue(self, catalogue) -> None:
        """Fill the item checkboxes from the active CatalogueItem rows."""
        self.items.choices = [(c.id, _("%(name)s（%(category)s）", name=c.name, category=c.category_label))
                              for c in catalogue]


class PaperWishForm(WishAnswerForm):
    """A paper questionnaire entered by a squad member for any household of the compound."""

    household_id = SelectField(_l("房屋"), coerce=int_or_none, validators=[InputRequired(_l("请选择房屋。"))],
                               invalid_choice_message=_l("请从列表中选择本小区的房屋。"))

    def set_households(self, households) -> None:
        """Fill the household select (id, '1号楼1单元101 · 户主')."""
        self.household_id.choices = [(h.id, f"{h.label}{' · ' + h.voter_name if h.voter_name else ''}")
                                     for h in households]
