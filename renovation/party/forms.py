"""Forms of the temporary Party branch."""

from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from renovation.core.forms import ZhForm


class MeetingForm(ZhForm):
    """A branch meeting (e.g. 周例会): date, title, attendees out of expected (people), minutes."""

    held_on = DateField("日期", validators=[DataRequired("请填写日期（年-月-日）。")])
    title = StringField("会议名称", default="周例会", validators=[DataRequired("请填写会议名称。"), Length(max=128)])
    attendees = IntegerField("实到人数", validators=[
        DataRequired("请填写实到人数。"), NumberRange(min=0, max=500, message="人数须在0到500之间。")])
    expected = IntegerField("应到人数", validators=[
        DataRequired("请填写应到人数。"), NumberRange(min=1, max=500, message="人数须在1到500之间。")])
    minutes = TextAreaField("会议纪要", validators=[Optional(), Length(max=5000)])

    def validate_attendees(self, field):
        if field.data is not None and self.expected.data and field.data > self.expected.data:
            from wtforms.validators import ValidationError

            raise ValidationError("实到人数不能多于应到人数。")
