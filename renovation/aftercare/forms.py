"""Forms of post-handover management."""

from wtforms import DecimalField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from renovation.core.forms import ZhForm


class FacilityForm(ZhForm):
    """A facility with its partner; area in m² (optional, 0..100,000)."""

    name = StringField("设施名称", validators=[DataRequired("请填写设施名称。"), Length(max=128)])
    kind = StringField("类型", validators=[Optional(), Length(max=64)])
    partner_name = StringField("合作单位", validators=[Optional(), Length(max=128)])
    area = DecimalField("面积（m²）", places=2, validators=[
        Optional(), NumberRange(min=0, max=100000, message="面积须在0到100000 m²之间。")],
        render_kw={"inputmode": "decimal"})
    provision = TextAreaField("提供内容", validators=[Optional(), Length(max=1000)])
    opening_hours = StringField("开放时间", validators=[Optional(), Length(max=64)])
